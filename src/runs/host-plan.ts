/**
 * The native host's delivery steps (`database`, `file`) compiled once per run: which method they
 * call, the templates rendered once per job (the connection, the file path and content) and once
 * per record (an insert's `data` object, a query's `parameters`), and how the run's records are cut
 * into jobs when the step does not say (`effectiveBatching`).
 */
import { FerryError } from '../errors/ferry-error';
import type { JsonValue } from '../protocol/jsonrpc';
import { compileValue, hasTemplate, type Batching, type CompiledValue, type DatabaseStep, type FileStep } from '../pipeline';
import { formatOfPath } from '../pipeline/schema/file';
import { PATH_TEMPLATE_TOKENS } from '../protocol/catalogue-fs';

export type DatabaseMethod = 'db.insert' | 'db.batchInsert' | 'db.execute' | 'db.select';

export interface DatabaseTemplates {
  method: DatabaseMethod;
  /** `connection`, `connectionConfig`, `connectionPool`: rendered once per job (credentials resolved then). */
  templated: CompiledValue;
  /** insert/batchInsert: `data` written as an object, rendered per record; execute/select: `parameters`. */
  perRecord: CompiledValue | undefined;
  /** `data` written as one template (`"{{extractedArray}}"`), rendered once per job with the batch. */
  perJob: CompiledValue | undefined;
  batching: Batching;
}

export interface FileTemplates {
  /** `path` (host tokens kept for the host) and `content`, rendered once per job. */
  templated: CompiledValue;
  batching: Batching;
  /** The format the host will write (given, or from the path's extension): csv and ndjson take a list of records. */
  format: 'json' | 'ndjson' | 'csv' | 'text' | undefined;
  /**
   * The whole run must fit in one job: a write that replaces a file whose path cannot tell batches
   * apart. A run with more records than one job holds is refused at start rather than overwritten.
   */
  singleJob: boolean;
}

/** Records per call when an insert's step does not set `batching`: one transaction per call. */
export const DEFAULT_INSERT_BATCH = 100;
/** A batchInsert without `batchSize` or `batching`: the host's own default batch. */
export const DEFAULT_BATCH_INSERT = 1000;
/** The most records one job may carry (the schema's `batching.size` ceiling). */
export const MAX_JOB_RECORDS = 10_000;

const METHODS: Record<DatabaseStep['database']['operation'], DatabaseMethod> = { insert: 'db.insert', batchInsert: 'db.batchInsert', execute: 'db.execute', select: 'db.select' };

export function compileDatabaseStep(step: DatabaseStep, location: string): DatabaseTemplates {
  const block = step.database;
  const method = METHODS[block.operation];
  const at = `${location}.database`;
  const templated = compileValue(defined({ connection: block.connection, connectionConfig: block.connectionConfig, connectionPool: block.connectionPool }), at);
  if (block.operation === 'insert' || block.operation === 'batchInsert') {
    const data = block.data;
    const wholeTemplate = typeof data === 'string';
    if (wholeTemplate && !hasTemplate(data)) throw unsupported(`${at}.data: text is not a record; write an object of columns and values, a template such as "{{extractedArray}}", or leave "data" out to store the records as they are.`, at);
    const fallback = block.operation === 'batchInsert' ? Math.min(block.batchSize ?? DEFAULT_BATCH_INSERT, MAX_JOB_RECORDS) : DEFAULT_INSERT_BATCH;
    return {
      method, templated,
      perRecord: data !== undefined && !wholeTemplate ? compileValue(data as JsonValue, `${at}.data`) : undefined,
      perJob: wholeTemplate ? compileValue(data, `${at}.data`) : undefined,
      batching: step.batching ?? { mode: 'batch', size: fallback },
    };
  }
  // A query is sent as written: values reach it only as bound parameters, never spliced into the text.
  if (hasTemplate(block.query ?? '')) {
    throw unsupported(`${at}.query: the SQL text cannot hold templates (a value spliced into SQL is an injection); write $1, $2, ... in the query and the values in "parameters", such as ["{{extracted.url}}"].`, at);
  }
  if (step.batching?.mode === 'batch') {
    throw unsupported(`${location}.batching: "${block.operation}" runs its statement once per record, with that record's parameters; remove "batching" (or use {"mode": "record"}).`, at);
  }
  return { method, templated, perRecord: block.parameters !== undefined ? compileValue(block.parameters as JsonValue, `${at}.parameters`) : undefined, perJob: undefined, batching: { mode: 'record' } };
}

/** A template that reads the record being written (so each batch or record renders its own path). */
const RECORD_FIELD = /\{\{\s*(extracted|transformedData|preparedData|processedData)\b/;

const HOST_TOKEN = new RegExp(`\\{\\{\\s*(${PATH_TEMPLATE_TOKENS.join('|')})\\s*(?:\\(\\s*\\))?\\s*\\}\\}`, 'g');
/** Stands in for a host token while Ferry renders the rest of a path: NUL never survives the host's path check, so it cannot be forged into a real name. */
const TOKEN_MARK = (name: string) => `\u0000host:${name}\u0000`;
// eslint-disable-next-line no-control-regex -- the NUL marks are the point: see TOKEN_MARK
const MARKED = /\u0000host:([a-z]+)\u0000/g;

/** Hides the host's path tokens (`{{timestamp}}`, `{{uuid}}`, ...) from Ferry's templates, which read `timestamp` as an ISO date. */
export function markHostTokens(path: string): string {
  return path.replace(HOST_TOKEN, (_, name: string) => TOKEN_MARK(name));
}

/** Puts the host's tokens back after Ferry rendered the path. */
export function restoreHostTokens(path: string): string {
  return path.replace(MARKED, (_, name: string) => `{{${name}}}`);
}

/**
 * A write that replaces its file (not `append`) puts the whole run into one file by default: every
 * batch would otherwise overwrite the one before. Cutting it into batches is allowed only when the
 * path can tell the batches apart: `{{uuid}}`, or a template over the records' fields.
 */
export function compileFileStep(step: FileStep, location: string): FileTemplates {
  const block = step.file;
  const at = `${location}.file`;
  const rawPath = block.filePath ?? block.path ?? '';
  const pathKey = block.filePath !== undefined ? 'filePath' : 'path';
  const markedPath = markHostTokens(rawPath);
  const templated = compileValue(defined({ path: markedPath, content: block.content }), at);
  const format = block.format ?? formatOfPath(rawPath);
  if (block.append === true) return { templated, format, singleJob: false, batching: step.batching ?? { mode: 'batch', size: DEFAULT_BATCH_INSERT } };
  // Only a {{uuid}} or a record's field tells batches apart; {{env.*}}, {{source.*}} and the clock do not.
  const distinct = /\{\{\s*uuid\s*(\(\s*\))?\s*\}\}/.test(rawPath) || RECORD_FIELD.test(markedPath);
  if (step.batching && !distinct) {
    throw unsupported(`${location}.batching: each batch would be written to ${at}.${pathKey} "${rawPath}" and replace the batch before it. Put {{uuid}} (or a record field such as {{extracted.id}}) in the path, set "append": true for csv or ndjson, or remove "batching" to write the whole run into one file.`, at);
  }
  return { templated, format, singleJob: !distinct, batching: step.batching ?? { mode: 'batch', size: MAX_JOB_RECORDS } };
}

function unsupported(message: string, location: string): FerryError {
  return new FerryError('PIPELINE_UNSUPPORTED_SHAPE', message, { location });
}

/** Leaves absent fields out, so the rendered value has no `undefined` to send. */
export function defined(fields: Record<string, unknown>): JsonValue {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as JsonValue;
}
