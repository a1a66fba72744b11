/**
 * The injected extractor's answer is untrusted data: the page controls the DOM it read, and a
 * compromised renderer controls the answer itself. Before anything is stored or sent, the answer is
 * re-checked and copied: known shape, a list of plain JSON objects within the limits, bounded depth,
 * no `__proto__` keys, short strings where strings are only for display.
 */
import { FerryError } from '../errors/ferry-error';
import type { ExtractionLimits, ExtractionMode, ExtractionOverflow, JsonRecord, JsonValue, PageExtraction } from './types';

const MODES: readonly ExtractionMode[] = ['selector', 'microdata', 'json-ld', 'table', 'selection', 'metadata', 'none'];
const MAX_DEPTH = 32;
const MAX_WARNINGS = 50;
const MAX_NOTE = 500;
const MAX_URL = 8192;
const MAX_TITLE = 1024;

class Invalid extends Error {}

export function readPageResult(raw: unknown, limits: ExtractionLimits): PageExtraction {
  try {
    return read(raw, limits);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    throw new FerryError('EXTRACTION_RESULT_INVALID', `The page answered the extractor with something Ferry does not accept (${error.message}); nothing was started. Reload the page and try again.`, {
      reason: error.message,
    });
  }
}

function read(raw: unknown, limits: ExtractionLimits): PageExtraction {
  const answer = object(raw, 'the answer');
  if (answer.ok === false) {
    const code = answer.code === 'BAD_SELECTOR' || answer.code === 'NOT_FOUND' ? answer.code : 'FAILED';
    return {
      ok: false,
      code,
      message: note(answer.message, 'message'),
      ...(typeof answer.field === 'string' ? { field: clip(answer.field, MAX_NOTE) } : {}),
      ...(typeof answer.selector === 'string' ? { selector: clip(answer.selector, MAX_NOTE) } : {}),
      ...(answer.language === 'css' || answer.language === 'xpath' ? { language: answer.language } : {}),
    };
  }
  if (answer.ok !== true) throw new Invalid('no "ok" flag');
  if (!MODES.includes(answer.mode as ExtractionMode)) throw new Invalid('an unknown mode');
  if (!Array.isArray(answer.records)) throw new Invalid('records is not a list');
  if (answer.records.length > limits.maxRecords) throw new Invalid(`${answer.records.length} records, above the limit of ${limits.maxRecords}`);
  const records = answer.records.map((r, i) => plainObject(r, `record ${i}`, 0));
  const bytes = new TextEncoder().encode(JSON.stringify(records)).byteLength;
  if (bytes > limits.maxBytes) throw new Invalid(`${bytes} bytes of records, above the limit of ${limits.maxBytes}`);
  const source = object(answer.source, 'source');
  const warnings = Array.isArray(answer.warnings) ? answer.warnings.slice(0, MAX_WARNINGS).map((w) => note(w, 'a warning')) : [];
  return {
    ok: true,
    mode: answer.mode as ExtractionMode,
    records,
    source: { url: clip(string(source.url, 'source.url'), MAX_URL), title: clip(string(source.title, 'source.title'), MAX_TITLE) },
    warnings,
    ...(answer.overflow !== undefined ? { overflow: overflowOf(answer.overflow) } : {}),
    ...(typeof answer.matched === 'number' && Number.isSafeInteger(answer.matched) && answer.matched >= 0 ? { matched: answer.matched } : {}),
  };
}

function overflowOf(value: unknown): ExtractionOverflow {
  const o = object(value, 'overflow');
  if (o.limit !== 'maxRecords' && o.limit !== 'maxBytes') throw new Invalid('an unknown overflow limit');
  return { limit: o.limit, kept: count(o.kept, 'overflow.kept'), ...(o.available !== undefined ? { available: count(o.available, 'overflow.available') } : {}) };
}

/** A fresh copy made of JSON values only; anything else is refused rather than coerced. */
function json(value: unknown, where: string, depth: number): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Invalid(`${where} is not a finite number`);
    return value;
  }
  if (depth >= MAX_DEPTH) throw new Invalid(`${where} is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v, i) => json(v, `${where}[${i}]`, depth + 1));
  return plainObject(value, where, depth);
}

function plainObject(value: unknown, where: string, depth: number): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(`${where} is not an object`);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new Invalid(`${where} is not a plain object`);
  const copy: JsonRecord = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '__proto__') continue; // would set the copy's prototype instead of a field
    copy[key] = json(v, `${where}.${key}`, depth + 1);
  }
  return copy;
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Invalid(`${what} is not text`);
  return value;
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Invalid(`${what} is not a count`);
  return value;
}

function note(value: unknown, what: string): string {
  return clip(string(value, what), MAX_NOTE);
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
