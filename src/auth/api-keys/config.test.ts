import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../../errors/ferry-error';
import { durationMs, parseApiKeyConfig } from './config';

const SEED = readFileSync(path.join(__dirname, '../../../tests/fixtures/seed/api-key-config.txt'), 'utf8');

function problems(input: unknown): string {
  try {
    parseApiKeyConfig(input);
  } catch (error) {
    if (isFerryError(error, 'API_KEY_CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the seed\'s apiKeyConfig', () => {
  it('parses as written, comment and wrapper included', () => {
    expect(parseApiKeyConfig(SEED)).toEqual({
      storage: 'encrypted',
      rotation: { enabled: true, interval: '30d', notifyBefore: '7d' },
      validation: { testEndpoint: '/api/v1/validate', method: 'GET', expectedResponse: { status: 'valid' } },
    });
  });

  it('takes the inner object as well, and fills defaults', () => {
    expect(parseApiKeyConfig({ rotation: { interval: '12h', notifyBefore: '90m' } })).toEqual({ storage: 'encrypted', rotation: { enabled: true, interval: '12h', notifyBefore: '90m' } });
  });

  it('reads durations in seconds, minutes, hours, days and weeks', () => {
    expect(durationMs('30d')).toBe(30 * 86_400_000);
    expect(durationMs('12h')).toBe(12 * 3_600_000);
    expect(durationMs('90m')).toBe(90 * 60_000);
    expect(durationMs('45s')).toBe(45_000);
    expect(durationMs('2w')).toBe(14 * 86_400_000);
    for (const bad of ['30', 'd', '1.5d', '-1d', '0d', '30 days', '30D', '']) expect(durationMs(bad)).toBeUndefined();
  });

  it('names each problem by its JSON path', () => {
    const message = problems({ apiKeyConfig: { storage: 'plain', rotation: { enabled: true, interval: '30 days', notifyBefore: '7d' }, validation: { testEndpoint: 'validate' } } });
    expect(message).toContain('apiKeyConfig.storage: expected "encrypted"');
    expect(message).toContain('apiKeyConfig.rotation.interval: expected a duration such as "30d", "12h" or "90m"');
    expect(message).toContain('apiKeyConfig.validation.testEndpoint: expected a path such as "/api/v1/validate"');
  });

  it('refuses a reminder that starts before the rotation period does, and unknown keys', () => {
    expect(problems({ rotation: { interval: '7d', notifyBefore: '7d' } })).toContain('apiKeyConfig.rotation.notifyBefore: expected a notifyBefore shorter than the interval');
    expect(problems({ rotation: { interval: '7d', notifyBefore: '1d', every: '1d' } })).toMatch(/apiKeyConfig\.rotation.*every/);
  });

  it('says where a syntax error is', () => {
    expect(() => parseApiKeyConfig('{ "apiKeyConfig": { "storage": }')).toThrow(/line 1/);
  });
});
