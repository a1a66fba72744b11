/**
 * Processes a successful response as `resultProcessing` says: keep the listed fields, normalize
 * them (parseDate, number, trim, lowercase, uppercase), and render the local storage key from them.
 * The request already succeeded, so a value that cannot be transformed is kept as it was and
 * reported in `problems` rather than failing the record (which would invite a duplicate send).
 */
import { FerryError } from '../errors/ferry-error';
import { getAtPath, lastFieldName, parseDataPath } from './data-path';
import { describeValue } from './issues';
import { parseDate, toNumber } from './result-values';
import type { ResultProcessing, ResultTransformation } from './schema/result-processing';
import type { CompiledTemplate, PathSegment } from './template/ast';
import { compileTemplate } from './template/parse';
import { renderTemplateString, type RenderOptions } from './template/render';

export interface ResultProblem {
  field: string;
  /** `extract` when the field was not in the response, else the transformation that failed. */
  operation: 'extract' | ResultTransformation['operation'];
  message: string;
}

export interface ProcessedResult {
  fields: Record<string, unknown>;
  /** Where to store `fields`, when the block has `storage`. */
  storage?: { type: 'local'; key: string };
  problems: ResultProblem[];
}

export interface CompiledResultProcessing {
  readonly extract: readonly { name: string; path: readonly PathSegment[] }[] | undefined;
  readonly transformations: readonly ResultTransformation[];
  readonly storageKey: CompiledTemplate | undefined;
}

/**
 * Throws FerryError `RESULT_READS_CREDENTIAL` naming the JSON path when the storage key reads a
 * credential (parsePipeline refuses it too; this also covers blocks that did not come through it).
 */
export function compileResultProcessing(block: ResultProcessing, location = 'resultProcessing'): CompiledResultProcessing {
  const storageKey = block.storage ? compileTemplate(block.storage.key, `${location}.storage.key`) : undefined;
  if (storageKey && storageKey.credentials.length > 0) {
    const read = storageKey.credentials.map((name) => `{{credentials.${name}}}`).join(', ');
    throw new FerryError(
      'RESULT_READS_CREDENTIAL',
      `${storageKey.location} reads ${read}; results are stored and shown, so a secret must never be rendered into them. Build the key from the result's fields instead, such as "api_results_{{id}}".`,
      { location: storageKey.location, credentials: [...storageKey.credentials] },
    );
  }
  return {
    extract: block.extractFields?.map((text) => {
      const path = parseDataPath(text) ?? [text];
      return { name: lastFieldName(path), path };
    }),
    transformations: block.transformations ?? [],
    storageKey,
  };
}

/**
 * `body` is the parsed response (one record's result). The storage key's templates read the kept
 * fields by name (`{{id}}`), or as `{{result.id}}`; a missing one throws TEMPLATE_MISSING_PATH.
 */
export function processResult(compiled: CompiledResultProcessing, body: unknown, options: RenderOptions = {}): ProcessedResult {
  const problems: ResultProblem[] = [];
  const fields = extractFields(compiled, body, problems);
  for (const t of compiled.transformations) {
    if (!Object.hasOwn(fields, t.field) || fields[t.field] === null || fields[t.field] === undefined) continue;
    const outcome = transform(t, fields[t.field]);
    if ('value' in outcome) fields[t.field] = outcome.value;
    else problems.push({ field: t.field, operation: t.operation, message: `${t.field}: ${outcome.problem}, got ${describeValue(fields[t.field])}; kept as it was` });
  }
  if (!compiled.storageKey) return { fields, problems };
  const key = renderTemplateString(compiled.storageKey, { ...fields, result: fields }, options);
  return { fields, storage: { type: 'local', key }, problems };
}

function extractFields(compiled: CompiledResultProcessing, body: unknown, problems: ResultProblem[]): Record<string, unknown> {
  if (!compiled.extract) return body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : { value: body };
  const fields: Record<string, unknown> = {};
  for (const { name, path } of compiled.extract) {
    const value = getAtPath(body, path);
    if (value === undefined) problems.push({ field: name, operation: 'extract', message: `${name}: the response has no ${path.map(String).join('.')}` });
    else fields[name] = value;
  }
  return fields;
}

function transform(t: ResultTransformation, value: unknown): { value: unknown } | { problem: string } {
  switch (t.operation) {
    case 'parseDate': {
      const iso = parseDate(value, t.format ?? 'ISO8601');
      return iso === undefined ? { problem: `expected a date (${t.format ?? 'ISO8601'})` } : { value: iso };
    }
    case 'number': {
      const n = toNumber(value);
      return n === undefined ? { problem: 'expected a number' } : { value: n };
    }
    case 'trim':
    case 'lowercase':
    case 'uppercase':
      if (typeof value !== 'string') return { problem: 'expected text' };
      return { value: t.operation === 'trim' ? value.trim() : t.operation === 'lowercase' ? value.toLowerCase() : value.toUpperCase() };
  }
}
