import { FerryError } from '../../errors/ferry-error';
import { base64ToBytes } from '../shared/base64';
import type { BodyType, FilePart } from './types';

/**
 * Turns the node's plain body into what fetch sends. Content-Type is left to fetch for form
 * (urlencoded), multipart (it must add the boundary) and text, unless the node set one.
 */
export interface EncodedBody {
  body: BodyInit | undefined;
  /** Set only when we must choose the type (JSON); fetch infers the rest from the body. */
  contentType?: string;
  /** Multipart: a Content-Type written in the node would lack the boundary, so it must go. */
  dropContentType?: boolean;
}

export function defaultBodyType(body: unknown): BodyType | undefined {
  if (body === undefined || body === null) return undefined;
  return typeof body === 'string' ? 'text' : 'json';
}

export function encodeBody(body: unknown, bodyType: BodyType | undefined): EncodedBody {
  const type = bodyType ?? defaultBodyType(body);
  if (type === undefined || body === undefined) return { body: undefined };
  switch (type) {
    case 'json':
      // Always serialized, strings included: a predictable rule beats guessing whether a string
      // was meant to be pre-serialized JSON.
      return { body: JSON.stringify(body), contentType: 'application/json' };
    case 'text':
      return { body: typeof body === 'string' ? body : JSON.stringify(body) };
    case 'form':
      return { body: toSearchParams(expectObject(body, 'form')) };
    case 'multipart':
      return { body: toFormData(expectObject(body, 'multipart')), dropContentType: true };
  }
}

function expectObject(body: unknown, type: BodyType): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new FerryError('INVALID_REQUEST', `a ${type} body must be an object of fields`, { field: 'body', bodyType: type });
  }
  return body as Record<string, unknown>;
}

/** Arrays repeat the field; null/undefined are left out; nested objects are sent as JSON text. */
function fieldValues(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined);
}

function scalar(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function toSearchParams(fields: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of fieldValues(value)) params.append(name, scalar(item));
  }
  return params;
}

function toFormData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of fieldValues(value)) {
      if (isFilePart(item)) {
        const blob = new Blob([decodeFile(item, name)], { type: item.contentType ?? 'application/octet-stream' });
        form.append(name, blob, item.filename);
      } else {
        form.append(name, scalar(item));
      }
    }
  }
  return form;
}

export function isFilePart(value: unknown): value is FilePart {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.filename === 'string' && typeof v.data === 'string' && (v.contentType === undefined || typeof v.contentType === 'string');
}

function decodeFile(file: FilePart, field: string): Uint8Array<ArrayBuffer> {
  try {
    return base64ToBytes(file.data);
  } catch {
    throw new FerryError('INVALID_REQUEST', `multipart field "${field}": file data is not valid base64`, { field: `body.${field}` });
  }
}
