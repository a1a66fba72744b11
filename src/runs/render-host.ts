/**
 * Renders a `database` or `file` step for one job, at send time, into the native host call it
 * makes: the connection (with `{{credentials.*}}` resolved through the vault, only here and only into
 * memory), the rows or the file's content, and the safe facts the audit log and breaker key on.
 *
 * The audit and the breaker never see a secret: a PostgreSQL connection is named by host, port and
 * database (never the user or password), a file by the path as written in the pipeline.
 */
import { FerryError } from '../errors/ferry-error';
import type { ParamsOf } from '../protocol/catalogue';
import { redactCredentials, renderValue, resolveCredentials, toText, type CompiledValue, type RenderOptions } from '../pipeline';
import { sendHostRequest, type HostCaller } from '../integrations';
import type { DatabasePlan, FilePlan, HostPlan } from './delivery-plan';
import { restoreHostTokens } from './host-plan';
import { deliveryScope, type RenderedDelivery } from './render-delivery';
import type { RunDeps, RunSource } from './types';

type Scope = Record<string, unknown>;

export async function renderHostDelivery(plan: HostPlan, job: { records: readonly unknown[]; idempotencyKey: string }, source: RunSource, deps: RunDeps): Promise<RenderedDelivery> {
  const host = deps.host;
  if (!host) throw new FerryError('HOST_NOT_CONNECTED', `${plan.location} runs through Ferry's native host, and this run engine has no connection to it.`, { location: plan.location });
  const credentials = plan.templated.credentials.size > 0 ? await resolveCredentials(plan.templated.credentials, deps.resolveCredential) : undefined;
  const env = deps.env ? { ...plan.env, ...deps.env } : plan.env;
  const options: RenderOptions = { now: (deps.now ?? Date.now)(), env, ...(credentials ? { credentials } : {}) };
  const scrub = (text: string) => (credentials ? String(redactCredentials(text, credentials, credentials.names())) : text);
  // Templates rendered once per job see what an HTTP step's see: the batch's records (one in record mode).
  const batchScope = deliveryScope(plan, job.records, source);
  return plan.kind === 'database' ? renderDatabase(plan, job, batchScope, source, options, host, scrub) : renderFile(plan, job, batchScope, options, host, scrub);
}

/** The scope of a template rendered for one record (an insert's `data` object, a query's `parameters`). */
function recordScope(record: unknown, source: RunSource): Scope {
  return deliveryScope({ batchMode: 'record' }, [record], source);
}

function renderDatabase(plan: DatabasePlan, job: { records: readonly unknown[]; idempotencyKey: string }, batchScope: Scope, source: RunSource, options: RenderOptions, host: HostCaller, scrub: (text: string) => string): RenderedDelivery {
  const block = plan.step.database;
  // The connection is rendered without the records in scope: page data must never choose the server
  // that receives the password (only env values and credentials reach it).
  const target = connectionTarget(renderValue(plan.templated, {}, options).value as ConnectionPart);
  const connection = target.params;
  const render = (value: CompiledValue, scope: Scope) => renderValue(value, scope, options).value;
  let params: Record<string, unknown>;
  if (plan.method === 'db.insert' || plan.method === 'db.batchInsert') {
    const rows = plan.perRecord ? job.records.map((r) => render(plan.perRecord!, recordScope(r, source))) : plan.perJob ? render(plan.perJob, batchScope) : [...job.records];
    params = {
      ...connection, table: block.table, data: checkRows(rows, plan.location),
      ...pick(block, ['onConflict', 'conflictResolution', 'conflictTarget', 'createTable', 'batchSize']),
    };
  } else {
    const parameters = plan.perRecord ? render(plan.perRecord, recordScope(job.records[0], source)) : undefined;
    params = { ...connection, query: block.query, ...(parameters !== undefined ? { parameters } : {}), ...pick(block, ['allowSchemaChanges', 'maxRows']) };
  }
  const method = plan.method;
  return {
    url: `db:${target.label}`,
    target: { method, host: target.label, path: block.table ?? block.operation },
    // Sent again after an unknown outcome (a timeout, the host gone mid-call) only when repeating it
    // cannot add rows: a select, or a write that ignores or updates on its conflict target. Others
    // are retried only when the call provably never ran (host-outcome.ts `notSent`).
    retryRequest: { method, idempotent: repeatable(method, block) },
    idempotencyKey: job.idempotencyKey,
    scrub,
    send: (signal) => sendHostRequest(host, method, params as ParamsOf<typeof method>, { signal }),
  };
}

function renderFile(plan: FilePlan, job: { records: readonly unknown[]; idempotencyKey: string }, batchScope: Scope, options: RenderOptions, host: HostCaller, scrub: (text: string) => string): RenderedDelivery {
  const block = plan.step.file;
  const rendered = renderValue(plan.templated, batchScope, options).value as { path: unknown; content?: unknown };
  const path = restoreHostTokens(toText(rendered.path));
  let content = rendered.content !== undefined ? rendered.content : plan.batchMode === 'record' ? job.records[0] : [...job.records];
  // csv and ndjson write one line per record: a single record is a list of one.
  if ((plan.format === 'csv' || plan.format === 'ndjson') && !Array.isArray(content)) content = [content];
  const params = { filePath: path, content, ...pick(block, ['format', 'encoding', 'append', 'indent', 'options', 'createDirectories', 'backup', 'atomic']) } as ParamsOf<'fs.write'>;
  return {
    url: 'files',
    target: { method: 'fs.write', host: 'files', path: block.filePath ?? block.path ?? path },
    // Appending twice writes the lines twice, and a {{uuid}} path writes a second file: neither is
    // repeated after an unknown outcome. Replacing one file with the same content is.
    retryRequest: { method: 'fs.write', idempotent: block.append !== true && !/\{\{\s*uuid/.test(block.filePath ?? block.path ?? '') },
    idempotencyKey: job.idempotencyKey,
    scrub,
    send: (signal) => sendHostRequest(host, 'fs.write', params, { signal }),
  };
}

function repeatable(method: string, block: DatabasePlan['step']['database']): boolean {
  if (method === 'db.select') return true;
  if (method === 'db.execute') return false;
  const mode = block.onConflict ?? block.conflictResolution ?? 'error';
  return mode !== 'error' && block.conflictTarget !== undefined;
}

interface ConnectionPart {
  connection?: unknown;
  connectionConfig?: Record<string, unknown>;
  connectionPool?: Record<string, unknown>;
}

/**
 * The call's connection params, and the name the audit log and breaker know it by. A port rendered
 * from `{{env.DB_PORT}}` is text: the host wants a number.
 */
function connectionTarget(part: ConnectionPart): { params: Record<string, unknown>; label: string } {
  const config = part.connectionConfig ? { ...part.connectionConfig } : undefined;
  if (config && typeof config.port === 'string' && /^\d+$/.test(config.port.trim())) config.port = Number(config.port.trim());
  const params = { ...(part.connection !== undefined ? { connection: part.connection } : {}), ...(config ? { connectionConfig: config } : {}), ...(part.connectionPool ? { connectionPool: part.connectionPool } : {}) };
  if (!config) return { params, label: `sqlite:${typeof part.connection === 'string' ? part.connection : 'default'}` };
  if (config.type === 'sqlite') return { params, label: `sqlite:${toText(config.database ?? 'default')}` };
  return { params, label: `postgresql:${toText(config.host ?? 'localhost')}:${toText(config.port ?? 5432)}/${toText(config.database ?? '')}` };
}

/** Rows must be objects of columns: refused here, naming the step, rather than by the host as bad params. */
function checkRows(rows: unknown, location: string): Record<string, unknown>[] | Record<string, unknown> {
  const isRow = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRow(rows)) return rows;
  if (Array.isArray(rows) && rows.length > 0 && rows.every(isRow)) return rows;
  throw new FerryError('DATABASE_DATA_NOT_ROWS', `${location}.data rendered ${Array.isArray(rows) ? 'a list that is not all objects' : `a ${rows === null ? 'null' : typeof rows}`}; each row must be an object of column names and values.`, { location: `${location}.data` });
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Partial<Pick<T, K>>;
}


