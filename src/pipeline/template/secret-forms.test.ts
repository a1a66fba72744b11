import { describe, expect, it } from 'vitest';
import { basicAuthForm, MIN_BASE64_FRAGMENT, secretForms } from './secret-forms';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** True when some form of `secret` occurs in `text`. */
const found = (secret: string, text: string) => secretForms(secret).some((form) => text.includes(form));

describe('secretForms', () => {
  const secret = 'p@ss w/rd+&=?#é"x';

  it('has the value as written, percent-encoded every way a URL or form writes it, and in base64', () => {
    const forms = secretForms(secret);
    expect(forms).toContain(secret);
    expect(forms).toContain(encodeURIComponent(secret));
    expect(forms).toContain(new URLSearchParams({ k: secret }).toString().slice(2));
    expect(new URLSearchParams({ k: secret }).toString()).toContain('+'); // the space, form style
    expect(forms).toContain(b64(secret));
    expect(forms).toEqual([...forms].sort((a, b) => b.length - a.length));
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('finds the value where the URL parser put it: in a path and in a query string', () => {
    // No "/", "?" or "#": inside a URL those end the path or the query instead of being encoded.
    const secret = `p@ss w"rd{é}\`<x>'|^`;
    const url = new URL(`https://api.test/v1/${secret}/items?key=${secret}`);
    expect(url.pathname).not.toContain(secret);
    expect(found(secret, url.pathname)).toBe(true);
    expect(url.search).not.toContain(secret);
    expect(found(secret, url.search)).toBe(true);
    const params = new URL('https://api.test/v1');
    params.searchParams.append('key', secret);
    expect(found(secret, params.href)).toBe(true);
  });

  it('finds a basic-auth password after any username, and a username before any password', () => {
    const password = 'correct horse battery staple';
    for (const username of ['', 'a', 'ab', 'abc', 'admin', 'zoë@example.com']) {
      const header = `Basic ${basicAuthForm(username, password)}`;
      expect(found(password, header), username).toBe(true);
    }
    const username = 'service-account-7';
    for (const other of ['x', 'xy', 'xyz', 'a much longer password']) expect(found(username, basicAuthForm(username, other)), other).toBe(true);
    // The whole pair, exactly, for callers that know both values.
    expect(basicAuthForm('user', 'pass')).toBe(b64('user:pass'));
  });

  it('leaves out base64 fragments too short to be told from ordinary text', () => {
    // Its alignment fragments are 4 to 6 characters long: only the value and its whole base64 remain.
    expect(MIN_BASE64_FRAGMENT).toBe(8);
    expect(secretForms('abcd')).toEqual([b64('abcd'), 'abcd']);
  });

  it('has nothing for an empty value, and survives a lone surrogate', () => {
    expect(secretForms('')).toEqual([]);
    expect(secretForms('ab\ud800cd')).toContain('ab\ud800cd');
  });
});
