/**
 * The forms a credential's value takes on its way into a request, so a scrub can find each of them
 * in text that is about to be stored or shown (audit entries, dead-letter messages, cache keys):
 *
 * - as written;
 * - percent-encoded as `encodeURIComponent` writes it, as a form or URLSearchParams writes it
 *   (`+` for a space), and as the URL parser writes it into a path or a query string (a templated
 *   URL is parsed, so `new URL(url).pathname` holds the path form, not the value);
 * - in base64 as basic auth sends it, `base64(username + ":" + password)`: the value's own base64,
 *   and for each of the three byte alignments it can have inside the pair, the run of base64
 *   characters that depends on the value's bytes only. So a password after any username, or a
 *   username before any password, is found without knowing the other half.
 *
 * Pure and synchronous; the caller decides what replaces a match.
 */

/** Alignment fragments shorter than this are left out: they would match ordinary text by chance. */
export const MIN_BASE64_FRAGMENT = 8;

/** Every form of one value, longest first, without duplicates or empty strings. */
export function secretForms(value: string): string[] {
  if (value.length === 0) return [];
  const forms = new Set<string>([value]);
  const add = (make: () => string) => {
    try {
      forms.add(make());
    } catch {
      // encodeURIComponent throws on a lone surrogate; such a value has no encoded form to find.
    }
  };
  add(() => encodeURIComponent(value));
  add(() => new URLSearchParams([['', value]]).toString().slice(1));
  add(() => percentEncode(value, inPathSet));
  add(() => percentEncode(value, inQuerySet));
  for (const form of base64Forms(utf8(value))) forms.add(form);
  return longestFirst(forms);
}

/** The base64 of `username:password` for a pair of values, as basic auth sends it exactly. */
export function basicAuthForm(username: string, password: string): string {
  return base64(utf8(`${username}:${password}`));
}

function base64Forms(bytes: Uint8Array): string[] {
  const forms = [base64(bytes)];
  for (let offset = 0; offset < 3; offset++) {
    const first = Math.ceil((8 * offset) / 6); // the first character with no bits from before the value
    const last = Math.floor((8 * (offset + bytes.length)) / 6); // one past the last with no bits from after it
    // The value in the middle of the encoded text: what follows it is unknown, so stop before it.
    const middle = base64(concat(offset, bytes, 2)).slice(first, last);
    // The value at the end (a password is): the encoding's own tail and padding are known.
    const end = base64(concat(offset, bytes, 0)).slice(first);
    for (const form of [middle, end]) if (form.length >= MIN_BASE64_FRAGMENT) forms.push(form);
  }
  return forms;
}

/** `before` zero bytes, the value, `after` zero bytes. */
function concat(before: number, bytes: Uint8Array, after: number): Uint8Array {
  const out = new Uint8Array(before + bytes.length + after);
  out.set(bytes, before);
  return out;
}

/** The URL standard's path percent-encode set: C0 controls, space, " # < > ? ` { }, and non-ASCII. */
function inPathSet(code: number): boolean {
  return code <= 0x20 || code >= 0x7f || '"#<>?`{}'.includes(String.fromCharCode(code));
}

/** The URL standard's special-query percent-encode set: C0 controls, space, " # < > ', and non-ASCII. */
function inQuerySet(code: number): boolean {
  return code <= 0x20 || code >= 0x7f || `"#<>'`.includes(String.fromCharCode(code));
}

function percentEncode(value: string, encode: (code: number) => boolean): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (!encode(code)) out += char;
    else for (const byte of utf8(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** btoa over bytes: src/ runs in a service worker, which has no Buffer. Values are short. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function longestFirst(forms: Iterable<string>): string[] {
  return [...new Set(forms)].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}
