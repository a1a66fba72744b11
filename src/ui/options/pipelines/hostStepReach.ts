/**
 * The database and file steps of a pipeline, verbatim, for the review a user sees before saving an
 * imported or edited pipeline: every SQL statement exactly as it will be sent, every table it writes
 * and how it treats duplicates, every file path and what the write does to an existing file. A flag
 * that lets a step do more than read and write rows is a warning in plain words.
 */
import type { Pipeline } from '../../../pipeline';

type Step = Pipeline['steps'][number];
type DatabaseBlock = Extract<Step, { kind: 'database' }>['database'];
type FileBlock = Extract<Step, { kind: 'file' }>['file'];

export interface DatabaseStepReach {
  /** "Step 2", as a person counts. */
  step: string;
  /** Where: `PostgreSQL db.example.com:5432/crm`, `SQLite "crm.sqlite" in the host's data folder`. */
  target: string;
  operation: DatabaseBlock['operation'];
  /** What the step does, in words: "Runs this statement once per record". */
  summary: string;
  /** select and execute: the statement exactly as written in the pipeline. */
  sql?: string;
  /** select and execute: each placeholder (`$1`, `:name`) and the value bound to it, as written. */
  parameters?: [string, string][];
  /** insert and batchInsert: facts about the write (table, duplicates, table creation). */
  details: string[];
  /** What the user should weigh before saving (schema changes, other permissions). */
  warnings: string[];
}

export interface FileStepReach {
  step: string;
  /** The path exactly as written, templates included. */
  path: string;
  /** The path with the user's environment variables filled in, when that changes it. */
  resolvedPath?: string;
  summary: string;
  details: string[];
  warnings: string[];
}

const CONFLICT_WORDS = {
  error: 'a row whose key already exists stops the batch with an error',
  ignore: 'a row whose key already exists is skipped',
  update: 'a row whose key already exists is updated with the new values',
} as const;

export function databaseStepReach(block: DatabaseBlock, index: number, target: string): DatabaseStepReach {
  const step = `Step ${index + 1}`;
  const warnings = permissionWarnings(block as unknown as Record<string, unknown>);
  if (block.connectionConfig?.allowPrivilegedRole === true) {
    warnings.push('Runs its SQL even if the database login is a superuser or can reach the server’s files (allowPrivilegedRole): through such a login, SQL can read and write files on the database server and run programs there. Save only if you trust this pipeline’s SQL.');
  }
  if (block.operation === 'select' || block.operation === 'execute') {
    const summary = block.operation === 'select' ? 'Reads rows with this statement, once per record' : 'Runs this statement, once per record';
    return {
      step, target, operation: block.operation, summary,
      sql: block.query ?? '',
      ...(block.parameters !== undefined ? { parameters: boundValues(block.parameters) } : {}),
      details: block.maxRows !== undefined ? [`Reads at most ${block.maxRows} rows`] : [],
      warnings,
    };
  }
  const mode = block.onConflict ?? block.conflictResolution ?? 'error';
  const conflictKey = block.conflictTarget === undefined ? '' : ` (key: ${[block.conflictTarget].flat().join(', ')})`;
  const details = [`Table: ${block.table ?? '?'}`, `Duplicates: ${CONFLICT_WORDS[mode]}${conflictKey}`];
  if (block.batchSize !== undefined) details.push(`${block.batchSize} rows per transaction`);
  if (block.createTable) warnings.unshift(`Creates the table "${block.table ?? '?'}" in this database if it does not exist yet (createTable).`);
  const summary = block.operation === 'insert' ? 'Inserts each record as a row' : 'Inserts the records as rows, in batches';
  return { step, target, operation: block.operation, summary, details, warnings };
}

/** A list binds `$1`, `$2`, ...; an object binds `:name` placeholders (schema/database.ts). */
function boundValues(parameters: DatabaseBlock['parameters']): [string, string][] {
  const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  if (Array.isArray(parameters)) return parameters.map((value, i) => [`$${i + 1}`, shown(value)]);
  if (parameters !== null && typeof parameters === 'object') return Object.entries(parameters).map(([name, value]) => [`:${name}`, shown(value)]);
  return [['', shown(parameters)]];
}

/** `allowSchemaChanges` and any other `allow…` flag the step turns on. */
function permissionWarnings(block: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(block)) {
    if (!key.startsWith('allow') || value !== true) continue;
    if (key === 'allowSchemaChanges') {
      warnings.push('May change the structure of the database (allowSchemaChanges): this statement is allowed to create, alter or drop tables, indexes and other objects, which can delete data for good.');
    } else {
      warnings.push(`Turns on "${key}": the native host then lets this statement do more than read and write rows. Save only if you know why the pipeline needs it.`);
    }
  }
  return warnings;
}

export function fileStepReach(block: FileBlock, index: number, resolve: (value: string) => string): FileStepReach {
  const path = block.filePath ?? block.path ?? '';
  const resolved = resolve(path);
  const details: string[] = [];
  const warnings: string[] = [];
  if (block.format) details.push(`Format: ${block.format}`);
  if (block.append) details.push('Appends to the file if it exists');
  else if (block.backup !== undefined && block.backup !== false && block.backup !== 0) {
    details.push(`Replaces the file if it exists, keeping ${block.backup === true ? 3 : block.backup} earlier versions as backups`);
  } else warnings.push('Replaces the file if it exists, without keeping a backup.');
  if (block.createDirectories) details.push('Creates missing folders on the way');
  if (block.atomic === false) details.push('Writes in place (not through a temporary file)');
  return {
    step: `Step ${index + 1}`,
    path,
    ...(resolved !== path ? { resolvedPath: resolved } : {}),
    summary: `Writes a file, inside the folders you granted the native host${path.includes('{{') ? ' (the parts in {{ }} are filled in for each write)' : ''}`,
    details,
    warnings,
  };
}
