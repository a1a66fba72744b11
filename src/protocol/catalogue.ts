/**
 * The method catalogue: every public method of the native host, declared once with zod schemas for
 * its params and its result. The host validates params against it (-32602 with the zod path in
 * `data`); the extension's client derives its types from it. Names are `namespace.verb` and are public
 * API: other programs speak this protocol too.
 */
import { z } from 'zod';
import { dbMethods } from './db-methods';
import { fsMethods } from './catalogue-fs';
import type { JsonValue } from './jsonrpc';

/** Methods that take no params accept an omitted `params`, `{}` or `[]`. */
const noParams = z.union([z.object({}).strict(), z.array(z.never()).length(0)]).optional();

/** Any JSON value, required. Not validated recursively: it arrived as JSON, so it is JSON. */
const anyJson = z.custom<JsonValue>((v) => v !== undefined, { message: 'payload is required (any JSON value)' });

export const methods = {
  'system.ping': {
    description: 'Liveness check; answers immediately.',
    params: noParams,
    result: z.object({ pong: z.literal(true), time: z.number() }),
  },
  'system.info': {
    description: 'Host version, Node version, data directory and capabilities.',
    params: noParams,
    result: z.object({
      name: z.string(),
      version: z.string(),
      protocolVersion: z.number().int(),
      node: z.string(),
      platform: z.string(),
      arch: z.string(),
      pid: z.number().int(),
      dataDir: z.string(),
      capabilities: z.array(z.string()),
      startedAt: z.string(),
    }),
  },
  'system.echo': {
    description: 'Returns its payload unchanged; used by tests and benchmarks.',
    params: z.object({ payload: anyJson }),
    result: z.object({ payload: anyJson }),
  },
  ...dbMethods,
  ...fsMethods,
} as const;

export interface MethodSpec {
  description: string;
  params: z.ZodType;
  result: z.ZodType;
}

export type Catalogue = typeof methods;
export type MethodName = keyof Catalogue;
export type ParamsOf<M extends MethodName> = z.input<Catalogue[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Catalogue[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** Capabilities a host advertises in `system.info`: its method namespaces and protocol features. */
export const PROTOCOL_FEATURES = ['chunking', 'progress', 'cancellation', 'batch'] as const;
