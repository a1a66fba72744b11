// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://127.0.0.1:4173/"}
/**
 * `npm start`'s demo, without a browser: the pipeline it saves parses, and over the demo page's
 * table it accepts nine contacts and rejects the one with a broken email, for the reason the popup
 * and the summary show. The e2e tests (start.spec.ts, popup-send.spec.ts) run the same files for real.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractInPage, parseExtractorConfig } from '../../src/extraction';
import { parsePipeline } from '../../src/pipeline';
import { pipelineShape } from '../../src/runs/pipeline-shape';
import { prepareRecords } from '../../src/runs/prepare-records';
import { ROOT } from '../support/paths';

const pipelineText = readFileSync(path.join(ROOT, 'scripts/demo/pipeline.jsonc'), 'utf8');
const pageHtml = readFileSync(path.join(ROOT, 'scripts/demo/index.html'), 'utf8');

describe('the demo pipeline and page', () => {
  it('parses as written, comments and all, and posts to the demo API named by DEMO_API', () => {
    const pipeline = parsePipeline(pipelineText);
    expect(pipeline).toMatchObject({ id: 'demo-page-to-api', name: 'Demo: page → local API', source: { type: 'supplied' } });
    const shape = pipelineShape(pipeline);
    expect(shape.delivery).toMatchObject({ kind: 'http', http: { method: 'POST', url: '{{env.DEMO_API}}/v1/contacts' } });
    expect(shape.delivery).toHaveProperty('retryStrategy');
    expect(shape.delivery).toHaveProperty('circuitBreaker');
    expect(shape.delivery).toHaveProperty('resultProcessing');
  });

  it('extracts ten contacts from the page automatically and rejects the one with a broken email', () => {
    document.documentElement.innerHTML = pageHtml.replace(/^<!doctype html>\s*<html[^>]*>/i, '').replace(/<\/html>\s*$/, '');
    const extraction = extractInPage(parseExtractorConfig(undefined));
    if (!extraction.ok) throw new Error(`${extraction.code}: ${extraction.message}`);
    expect(extraction.mode).toBe('table');
    expect(extraction.records).toHaveLength(10);
    expect(extraction.records[0]).toEqual({ name: 'Ada Lindqvist', email: 'ada.lindqvist@nordlys.example', company: 'Nordlys Shipping', role: 'Head of Operations', country: 'Sweden' });

    const shape = pipelineShape(parsePipeline(pipelineText));
    const { accepted, rejected } = prepareRecords(shape, extraction.records, { source: { url: 'http://127.0.0.1:4173/' }, now: Date.parse('2026-11-28T10:00:00Z') });
    expect(accepted).toHaveLength(9);
    expect(accepted[0]).toMatchObject({ name: 'Ada Lindqvist', email: 'ada.lindqvist@nordlys.example', importedAt: expect.any(String) });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.record).toMatchObject({ name: 'Jonas Weber', email: 'jonas.weber(at)elbtrans.example' });
    expect(rejected[0]?.reasons).toEqual([expect.objectContaining({ path: 'email', rule: 'format', message: expect.stringContaining('email must be an email address') })]);
  });
});
