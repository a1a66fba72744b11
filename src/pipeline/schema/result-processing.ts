/**
 * `resultProcessing`: which fields of a successful response to keep, how to normalize them, and the
 * local storage key (a template over the kept fields) they are written under.
 */
import { z } from 'zod';
import { lastFieldName, parseDataPath } from '../data-path';
import { dataPath, list, oneOf, strict, templateTextWithoutCredentials, text } from './common';

export const RESULT_OPERATIONS = ['parseDate', 'number', 'trim', 'lowercase', 'uppercase'] as const;
/** ISO8601: a date or date-time string; epochSeconds / epochMillis: a number (or numeric text) since 1970. */
export const DATE_FORMATS = ['ISO8601', 'epochSeconds', 'epochMillis'] as const;

export const ResultTransformationSchema = strict(
  {
    field: text('the name of an extracted field'),
    operation: oneOf(RESULT_OPERATIONS),
    /** Only for parseDate: how the input is written. The output is always an ISO 8601 UTC string. */
    format: oneOf(DATE_FORMATS).optional(),
  },
  'a transformation such as {"field": "createdAt", "operation": "parseDate", "format": "ISO8601"}',
).superRefine((t, ctx) => {
  if (t.format !== undefined && t.operation !== 'parseDate') ctx.addIssue({ code: 'custom', path: ['format'], message: 'no "format": it only applies to parseDate' });
});

export const ResultProcessingSchema = strict(
  {
    /** Paths into the response body; each is kept under its last field name (`data.record.id` → `id`). When absent, the whole body is kept. */
    extractFields: list(dataPath(), 'a list of field paths such as ["id", "status", "data.createdAt"]').optional(),
    transformations: list(ResultTransformationSchema, 'a list of transformations').optional(),
    storage: strict(
      {
        type: z.literal('local', { error: '"local"' }),
        // Results are stored and shown: a credential rendered into the key would sit there in plain text.
        key: templateTextWithoutCredentials(
          'a storage key built from the result\'s fields such as "api_results_{{id}}", without {{credentials.*}} (results are stored and shown, so a secret must never be rendered into them)',
        ).min(1, { error: 'a storage key (not empty)' }),
      },
      'an object such as {"type": "local", "key": "api_results_{{id}}"}',
    ).optional(),
  },
  'an object with any of "extractFields", "transformations", "storage"',
).superRefine((block, ctx) => {
  const names = (block.extractFields ?? []).map((p) => lastFieldName(parseDataPath(p) ?? []));
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['extractFields', i], message: `paths whose last field names differ ("${name}" is already extracted)` });
  });
  if (!block.extractFields) return;
  block.transformations?.forEach((t, i) => {
    if (!names.includes(t.field)) ctx.addIssue({ code: 'custom', path: ['transformations', i, 'field'], message: `an extracted field (${[...new Set(names)].join(', ')})` });
  });
});

export type ResultTransformation = z.output<typeof ResultTransformationSchema>;
export type ResultProcessing = z.output<typeof ResultProcessingSchema>;
