import { describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../../src/protocol';
import { callerFromArgs, checkCaller } from './caller-check';

describe('callerFromArgs', () => {
  it('reads Chrome\'s origin, ignoring --parent-window, and Firefox\'s extension id', () => {
    expect(callerFromArgs([])).toBeNull();
    expect(callerFromArgs([CHROME_EXTENSION_ORIGIN])).toBe(CHROME_EXTENSION_ORIGIN);
    expect(callerFromArgs(['--parent-window=1234', CHROME_EXTENSION_ORIGIN])).toBe(CHROME_EXTENSION_ORIGIN);
    expect(callerFromArgs([CHROME_EXTENSION_ORIGIN, '--parent-window=1234'])).toBe(CHROME_EXTENSION_ORIGIN);
    expect(callerFromArgs(['/home/u/.mozilla/native-messaging-hosts/dev.ferry.host.json', GECKO_ID])).toBe(GECKO_ID);
    // A lone path (no id) names no caller.
    expect(callerFromArgs(['/home/u/.mozilla/native-messaging-hosts/dev.ferry.host.json'])).toBeNull();
  });
});

describe('checkCaller', () => {
  it('allows no caller, Ferry\'s origin and Ferry\'s gecko id', () => {
    for (const args of [[], [CHROME_EXTENSION_ORIGIN], ['/m.json', GECKO_ID]]) {
      expect(checkCaller(args)).toMatchObject({ allowed: true, refusal: null });
    }
  });

  it('refuses others with a message naming the caller and the way to allow it', () => {
    const result = checkCaller(['chrome-extension://zzzz/']);
    expect(result.allowed).toBe(false);
    expect(result.refusal).toContain('"chrome-extension://zzzz/"');
    expect(result.refusal).toContain('FERRY_HOST_ALLOWED_ORIGINS');
    expect(checkCaller(['/m.json', 'other@example.com']).allowed).toBe(false);
    // The trailing slash is optional; anything else must match exactly.
    expect(checkCaller([CHROME_EXTENSION_ORIGIN.slice(0, -1)]).allowed).toBe(true);
    expect(checkCaller([`${CHROME_EXTENSION_ORIGIN}x/`]).allowed).toBe(false);
  });

  it('adds configured origins', () => {
    expect(checkCaller(['chrome-extension://zzzz/'], ['chrome-extension://zzzz']).allowed).toBe(true);
    expect(checkCaller(['/m.json', 'dev@example.com'], ['dev@example.com']).allowed).toBe(true);
  });
});
