import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { EnvVars, MAX_ENV_VALUE_LENGTH } from './env-vars';
import { validateEnvName } from './env-name';
import { testClock, testDb } from './test-db.test-support';

async function setup() {
  const clock = testClock(1_000);
  return { clock, env: new EnvVars(await testDb(), clock.now) };
}

const failure = (fn: () => unknown): unknown => {
  try {
    return fn();
  } catch (error) {
    return error;
  }
};

describe('environment variable names', () => {
  it('accepts shell-style upper-case names', () => {
    for (const name of ['API_BASE', '_PRIVATE', 'A', 'V2_URL', 'X_1_2']) expect(validateEnvName(name)).toBe(name);
  });

  it('refuses anything else with a message that says what is allowed', () => {
    for (const name of ['api_base', '2FA', 'API-BASE', 'API BASE', '', 'A.B', 'ÄPI', 'A'.repeat(129), '__proto__']) {
      const error = failure(() => validateEnvName(name));
      expect(isFerryError(error, 'ENV_NAME_INVALID'), name).toBe(true);
      expect((error as Error).message).toContain('upper-case letters, digits and "_"');
    }
    expect((failure(() => validateEnvName('apiBase')) as Error).message).toContain('Did you mean APIBASE?');
    expect((failure(() => validateEnvName('2FA')) as Error).message).not.toContain('Did you mean');
    expect(isFerryError(failure(() => validateEnvName(42)), 'ENV_NAME_INVALID')).toBe(true);
  });
});

describe('EnvVars', () => {
  it('sets, lists by name, replaces and deletes', async () => {
    const { clock, env } = await setup();
    await env.set('TENANT', 'acme');
    clock.advance(5);
    await env.set('API_BASE', 'https://api.test/v1');
    expect(await env.list()).toEqual([
      { name: 'API_BASE', value: 'https://api.test/v1', createdAt: 1_005, updatedAt: 1_005 },
      { name: 'TENANT', value: 'acme', createdAt: 1_000, updatedAt: 1_000 },
    ]);
    clock.advance(5);
    expect(await env.set('TENANT', 'globex')).toEqual({ name: 'TENANT', value: 'globex', createdAt: 1_000, updatedAt: 1_010 });
    expect(await env.get('TENANT')).toMatchObject({ value: 'globex' });
    expect(await env.delete('TENANT')).toBe(true);
    expect(await env.delete('TENANT')).toBe(false);
    expect((await env.list()).map((r) => r.name)).toEqual(['API_BASE']);
  });

  it('keeps an empty value (set, and distinct from unset)', async () => {
    const { env } = await setup();
    await env.set('SUFFIX', '');
    expect(await env.values(['SUFFIX', 'OTHER'])).toEqual({ SUFFIX: '' });
  });

  it('returns the values of the names asked for that are set, ignoring names that could never be set', async () => {
    const { env } = await setup();
    await env.set('A', '1');
    await env.set('B', '2');
    expect(await env.values(['A', 'C', 'A', 'lower', '__proto__'])).toEqual({ A: '1' });
    expect(await env.values([])).toEqual({});
  });

  it('refuses invalid names and values and stores nothing', async () => {
    const { env } = await setup();
    expect(isFerryError(await env.set('api', 'x').catch((e: unknown) => e), 'ENV_NAME_INVALID')).toBe(true);
    expect(isFerryError(await env.set('API', 42 as unknown as string).catch((e: unknown) => e), 'ENV_VALUE_INVALID')).toBe(true);
    const long = await env.set('API', 'x'.repeat(MAX_ENV_VALUE_LENGTH + 1)).catch((e: unknown) => e);
    expect(isFerryError(long, 'ENV_VALUE_INVALID')).toBe(true);
    expect((long as Error).message).not.toContain('xxxx');
    expect(await env.list()).toEqual([]);
    expect(isFerryError(await env.delete('api').catch((e: unknown) => e), 'ENV_NAME_INVALID')).toBe(true);
  });
});
