import type { RecordLayout } from './record-layout';
import type { GraphQLAttempt, GraphQLErrorEntry } from './types';

export type { RecordLayout } from './record-layout';
export { inferRecordLayout } from './record-layout';

/** One record's share of a batched GraphQL response. Failed records keep whatever data came back. */
export type RecordResult =
  | { index: number; ok: true; data: unknown }
  | { index: number; ok: false; data: unknown; reason: string; errors: GraphQLErrorEntry[] };

export interface RecordResultOptions {
  /**
   * A field of each record's payload that lists application errors, as the seed's
   * `createRecord { id status errors { field message } }` does. Off unless named: a non-empty list
   * there fails the record even though GraphQL itself reported no error.
   */
  payloadErrorsField?: string;
}

/**
 * Splits one response into per-record results. An error whose path points into record i's part of
 * the response (`createRecords.2.email`, `r2.email`) fails record i only, with the path in the
 * reason; the other records keep their data. Errors that point at no record (no path, or the batch
 * field as a whole) fail every record, since any of them may be concerned. A non-2xx status fails
 * them all.
 */
export function recordResults(attempt: GraphQLAttempt, recordCount: number, layout: RecordLayout, options: RecordResultOptions = {}): RecordResult[] {
  const own = Array.from({ length: recordCount }, (): GraphQLErrorEntry[] => []);
  const shared: GraphQLErrorEntry[] = [];
  for (const error of attempt.errors) {
    const index = recordIndex(error.path, layout);
    if (index !== undefined && index < recordCount) own[index]!.push(error);
    else shared.push(error);
  }

  return own.map((errors, index): RecordResult => {
    const data = recordData(attempt.data, layout, index);
    const all = [...errors, ...shared];
    if (!attempt.ok) return failed(index, data, all, `HTTP ${attempt.status}${all[0] ? `: ${describe(all[0])}` : ''}`);
    if (all.length > 0) return failed(index, data, all, all.map(describe).join('; '));
    if ((data === undefined || data === null) && attempt.errors.length > 0) {
      // graphql-js nulls the nearest nullable parent of a failed non-null field, which can take the
      // whole list with it: this record's result is gone, so it cannot count as delivered.
      return failed(index, data, [], 'no result for this record: it was nulled by an error elsewhere in the response');
    }
    const payloadErrors = options.payloadErrorsField ? payloadErrorsOf(data, options.payloadErrorsField) : [];
    if (payloadErrors.length > 0) return failed(index, data, payloadErrors, payloadErrors.map(describe).join('; '));
    return { index, ok: true, data };
  });
}

function failed(index: number, data: unknown, errors: GraphQLErrorEntry[], reason: string): RecordResult {
  return { index, ok: false, data, reason, errors };
}

function recordIndex(path: GraphQLErrorEntry['path'], layout: RecordLayout): number | undefined {
  if (layout.kind === 'single') return 0;
  if (!path || path.length === 0) return undefined;
  if (layout.kind === 'list') return path[0] === layout.field && typeof path[1] === 'number' ? path[1] : undefined;
  const head = path[0];
  if (typeof head !== 'string' || !head.startsWith(layout.prefix)) return undefined;
  const rest = head.slice(layout.prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

function recordData(data: GraphQLAttempt['data'], layout: RecordLayout, index: number): unknown {
  if (!data) return undefined;
  switch (layout.kind) {
    case 'single':
      return layout.field === undefined ? data : data[layout.field];
    case 'list': {
      const list = data[layout.field];
      return Array.isArray(list) ? list[index] : undefined;
    }
    case 'aliases':
      return data[`${layout.prefix}${index}`];
  }
}

/** Application errors in the payload, e.g. [{ field: 'email', message: 'is invalid' }]. */
function payloadErrorsOf(data: unknown, field: string): GraphQLErrorEntry[] {
  const list = data && typeof data === 'object' ? (data as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((e: unknown) => {
    const entry = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
    const message = typeof entry.message === 'string' ? entry.message : JSON.stringify(e);
    return typeof entry.field === 'string' ? { message: `${entry.field}: ${message}`, extensions: { field: entry.field } } : { message };
  });
}

/** `Invalid email (at createRecords.2.email)`. */
function describe(error: GraphQLErrorEntry): string {
  return error.path?.length ? `${error.message} (at ${error.path.join('.')})` : error.message;
}
