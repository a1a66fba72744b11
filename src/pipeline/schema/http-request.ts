/**
 * The HTTP request node, as the seed writes it: method, url, headers, body; plus what a real
 * integration needs (query parameters, timeout, redirects, auth from credentials, body encodings,
 * pagination). Defaults are filled in, so the runner reads one complete shape.
 */
import { z } from 'zod';
import { AuthSchema } from './auth';
import { boolean, headers, milliseconds, oneOf, record, strict, templatedJson, templateText, urlTemplate } from './common';
import { PaginationSchema } from './pagination';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export const BODY_TYPES = ['json', 'form', 'multipart', 'text'] as const;
export const RESPONSE_TYPES = ['auto', 'json', 'text', 'binary'] as const;
/** A service worker may be stopped after five minutes of one event; no single request should wait longer. */
export const MAX_TIMEOUT_MS = 300_000;

const QUERY_VALUE = 'text, a number, true or false, or a list of them (templates allowed)';
const scalar = z.union([templateText(), z.number(), z.boolean()], { error: QUERY_VALUE });

export const HttpRequestSchema = strict(
  {
    /** Upper or lower case; stored upper case. */
    method: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), oneOf(HTTP_METHODS)).default('GET'),
    url: urlTemplate(),
    headers: headers().optional(),
    /** Query parameters, added to any already in the URL. */
    query: record(z.union([scalar, z.array(scalar, { error: QUERY_VALUE })], { error: QUERY_VALUE }), 'an object of query parameter names and values').optional(),
    body: templatedJson().optional(),
    /**
     * json: JSON text; form: application/x-www-form-urlencoded; multipart: multipart/form-data (a field
     * may be a file: {"filename", "contentType"?, "data" in base64}); text: the body as is. When absent
     * the HTTP integration picks text for a text body and json for anything else.
     */
    bodyType: oneOf(BODY_TYPES).optional(),
    /** How to read the response: auto (by its content-type), json, text or binary (base64). */
    responseType: oneOf(RESPONSE_TYPES).optional(),
    timeout: milliseconds(1, MAX_TIMEOUT_MS).default(30_000),
    followRedirects: boolean().default(true),
    auth: AuthSchema.optional(),
    pagination: PaginationSchema.optional(),
  },
  'an HTTP request: {"method": ..., "url": ..., "headers": ..., "body": ...}',
).superRefine((req, ctx) => {
  if (req.body === undefined) return;
  if (req.method === 'GET' || req.method === 'HEAD') {
    ctx.addIssue({ code: 'custom', path: ['body'], message: `no body: a ${req.method} request sends its data in "query" (or use POST)` });
  } else if (req.bodyType === 'text' && typeof req.body !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['body'], message: 'text, because "bodyType" is "text"' });
  } else if (req.bodyType === 'form' && !isFields(req.body, false)) {
    ctx.addIssue({ code: 'custom', path: ['body'], message: 'an object of field names and text, number or true/false values, because "bodyType" is "form"' });
  } else if (req.bodyType === 'multipart' && !isFields(req.body, true)) {
    ctx.addIssue({
      code: 'custom',
      path: ['body'],
      message: 'an object of field names and text, number, true/false or file ({"filename", "data"}) values, because "bodyType" is "multipart"',
    });
  }
});

/**
 * Form bodies are flat: one value per field, or a template that renders one (a whole-template string
 * may render an object: that is checked when the request is built). Multipart fields may be files.
 */
function isFields(body: unknown, filesAllowed: boolean): boolean {
  if (typeof body === 'string' && body.startsWith('{{')) return true; // the whole body from a template
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  return Object.values(body).every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || (filesAllowed && isFilePart(v)));
}

function isFilePart(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const part = v as Record<string, unknown>;
  return typeof part.filename === 'string' && typeof part.data === 'string' && (part.contentType === undefined || typeof part.contentType === 'string');
}

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type HttpRequest = z.output<typeof HttpRequestSchema>;
