/**
 * What a pipeline will touch, in words a person can judge before saving an imported one: the hosts
 * it calls, the databases and files it writes through the native host (each SQL statement and file
 * path verbatim: hostStepReach.ts), the credentials and
 * environment variables it reads, and the pages it is offered on. Also the origins Ferry must be
 * allowed to reach for its HTTP and GraphQL steps (see pipelinesClient.ts).
 */
import type { Pipeline } from '../../../pipeline';
import { databaseStepReach, fileStepReach, type DatabaseStepReach, type FileStepReach } from './hostStepReach';

export interface PipelineReach {
  /** `https://api.example.com`, or the URL as written when it starts with a template that could not be resolved. */
  hosts: string[];
  /** Origins to ask host permission for (resolved, http and https only). */
  origins: string[];
  databases: string[];
  files: string[];
  /** Each database step verbatim: its SQL, table and flags (hostStepReach.ts). */
  databaseSteps: DatabaseStepReach[];
  /** Each file step verbatim: its path and what the write does. */
  fileSteps: FileStepReach[];
  credentials: string[];
  env: string[];
  pages: string[];
}

const CREDENTIAL = /\{\{\s*credentials\.([A-Za-z0-9_.-]+)/g;
const ENV = /\{\{\s*env\.([A-Za-z0-9_]+)\s*(?:\|[^}]*)?\}\}/g;

/** `env`: the user's environment variables, so `{{env.API_BASE}}/v1` resolves to the real host. */
export function pipelineReach(pipeline: Pipeline, env: Readonly<Record<string, string>> = {}): PipelineReach {
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const databases = new Set<string>();
  const files = new Set<string>();
  const databaseSteps: DatabaseStepReach[] = [];
  const fileSteps: FileStepReach[] = [];
  const text = JSON.stringify(pipeline);
  const resolve = (value: string) => value.replace(ENV, (whole, name: string) => env[name] ?? whole);
  const addUrl = (url: string) => {
    const resolved = resolve(url);
    try {
      const u = new URL(resolved);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      hosts.add(u.origin);
      origins.add(`${u.protocol}//${u.hostname}/*`);
    } catch {
      hosts.add(url);
    }
  };
  pipeline.steps.forEach((step, index) => {
    if (step.kind === 'http') addUrl(step.http.url);
    else if (step.kind === 'graphql') addUrl(step.graphqlConfig.endpoint);
    else if (step.kind === 'database') {
      databases.add(`${databaseTarget(step.database, resolve)}${operationNote(step.database)}`);
      databaseSteps.push(databaseStepReach(step.database, index, databaseTarget(step.database, resolve)));
    } else if (step.kind === 'file') {
      files.add(resolve(step.file.filePath ?? step.file.path ?? ''));
      fileSteps.push(fileStepReach(step.file, index, resolve));
    }
  });
  return {
    hosts: [...hosts],
    origins: [...origins],
    databases: [...databases],
    files: [...files],
    databaseSteps,
    fileSteps,
    credentials: [...new Set([...text.matchAll(CREDENTIAL)].map((m) => m[1]!))],
    env: [...new Set([...text.matchAll(ENV)].map((m) => m[1]!))],
    pages: pipeline.match ?? [],
  };
}

type DatabaseBlock = Extract<Pipeline['steps'][number], { kind: 'database' }>['database'];

function operationNote(block: DatabaseBlock): string {
  return block.operation === 'insert' || block.operation === 'batchInsert' ? ` (${block.operation} into ${block.table ?? '?'})` : ` (${block.operation})`;
}

function databaseTarget(block: DatabaseBlock, resolve: (v: string) => string): string {
  const config = block.connectionConfig;
  if (!config) return `the host's SQLite database "${block.connection ?? 'default'}"`;
  if (config.type === 'sqlite') return `SQLite "${resolve(config.database ?? 'default')}" in the host's data folder`;
  return `PostgreSQL ${resolve(config.host ?? 'localhost')}:${resolve(String(config.port ?? 5432))}/${resolve(config.database ?? '')}`;
}
