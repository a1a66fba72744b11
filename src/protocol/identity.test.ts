import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY } from './identity';

describe('extension identity', () => {
  it('the extension id is the one Chromium derives from the committed public key', () => {
    const hex = createHash('sha256').update(Buffer.from(EXTENSION_PUBLIC_KEY, 'base64')).digest('hex').slice(0, 32);
    const derived = [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join('');
    expect(derived).toBe(EXTENSION_ID);
  });
});
