/**
 * The host's table of callable methods. Public methods are registered against the shared catalogue
 * (src/protocol/catalogue.ts), which supplies their params and result schemas; test-only methods
 * bring their own schemas.
 */
import type { z } from 'zod';
import { methods as catalogue, type MethodName, type RequestId, type ResultOf } from '../../src/protocol';
import type { Logger } from './logger';

export interface ProgressUpdate {
  message?: string;
  done?: number;
  total?: number;
}

/** What a handler gets besides its params. */
export interface HandlerContext {
  /** The request id, or null for a notification. */
  id: RequestId | null;
  method: string;
  /** Aborted by `$/cancelRequest`, or at shutdown after the grace period. */
  signal: AbortSignal;
  /** Sends `$/progress` for this request (a no-op for notifications). */
  progress(update: ProgressUpdate): void;
  log: Logger;
}

export interface MethodDefinition {
  /** Validates (and may transform) params; failures answer -32602 with the zod paths. */
  params?: z.ZodType;
  /** Validates the handler's result; a mismatch answers InvalidResult (a host bug). */
  result?: z.ZodType;
  handler(params: unknown, context: HandlerContext): unknown;
}

export class MethodRegistry {
  private readonly table = new Map<string, MethodDefinition>();

  /** Registers a public method with the catalogue's schemas. */
  registerCatalogue<M extends MethodName>(
    name: M,
    handler: (params: z.output<(typeof catalogue)[M]['params']>, context: HandlerContext) => ResultOf<M> | Promise<ResultOf<M>>,
  ): this {
    const spec = catalogue[name];
    return this.register(name, { params: spec.params, result: spec.result, handler: handler as MethodDefinition['handler'] });
  }

  register(name: string, definition: MethodDefinition): this {
    if (this.table.has(name)) throw new Error(`method ${name} is registered twice`);
    this.table.set(name, definition);
    return this;
  }

  get(name: string): MethodDefinition | undefined {
    return this.table.get(name);
  }

  /** Namespaces of the registered methods (`system` for `system.ping`), for `system.info`. */
  namespaces(): string[] {
    const out = new Set<string>();
    for (const name of this.table.keys()) {
      const dot = name.indexOf('.');
      if (dot > 0) out.add(name.slice(0, dot));
    }
    return [...out].sort();
  }
}
