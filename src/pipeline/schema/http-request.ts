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
    /** json: JSON text; form: application/x-www-form-urlencoded; multipart: multipart/form-data; text: the body as is. */
    bodyType: oneOf(BODY_TYPES).default('json'),
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
  } else if ((req.bodyType === 'form' || req.bodyType === 'multipart') && !isFlatFields(req.body)) {
    ctx.addIssue({ code: 'custom', path: ['body'], message: `an object of field names and text, number or true/false values, because "bodyType" is "${req.bodyType}"` });
  }
});

/** Form bodies are flat: each field is one value (a whole-template string may still render an object, sent as JSON text). */
function isFlatFields(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  return Object.values(body).every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
}

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type HttpRequest = z.output<typeof HttpRequestSchema>;
