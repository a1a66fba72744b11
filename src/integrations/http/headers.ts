import { FerryError } from '../../errors/ferry-error';
import type { HttpRequestNode } from './types';

/** The node's headers as fetch Headers; numbers and booleans written in JSON become text. */
export function buildHeaders(input: HttpRequestNode['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(input ?? {})) {
    try {
      headers.set(name, String(value));
    } catch {
      // fetch's message quotes the value, which may be a token: name the header only.
      throw new FerryError('INVALID_REQUEST', `header "${name}" has an invalid name or value`, { field: `headers.${name}` });
    }
  }
  return headers;
}
