/**
 * The dispatcher: turns frame bodies into JSON-RPC messages and answers them through the writer.
 * Single messages and batches (JSON-RPC 2.0 §6), notifications (never answered), `$/cancelRequest`,
 * `$/chunk` reassembly (a rebuilt message is handled exactly like one that arrived in one frame) and
 * the caller check. Calls run concurrently and are answered in completion order. Unfinished chunk
 * streams are bounded in bytes and expire (see ChunkAssembler); each failure is answered once, naming
 * its stream.
 */
import {
  CANCEL_REQUEST,
  CHUNK,
  ChunkAssembler,
  ErrorCode,
  type ChunkAssemblerOptions,
  PROGRESS,
  RpcError,
  cancelParams,
  classify,
  failure,
  isRpcError,
  notification,
  parseError,
  success,
  type NotificationMessage,
  type RequestId,
  type RequestMessage,
  type ResponseMessage,
} from '../../src/protocol';
import type { Logger } from './logger';
import type { MethodRegistry } from './method-registry';
import { CallState } from './call-state';
import { runCall, type CallOutcome } from './request-runner';
import type { FrameWriter } from './writer';

export interface ConnectionOptions {
  registry: MethodRegistry;
  writer: FrameWriter;
  logger: Logger;
  /** Largest message rebuilt from `$/chunk` pieces. */
  maxAssembledBytes: number;
  /** When set, the caller was refused: every request is answered with OriginNotAllowed and this message. */
  refusal?: string | null;
  /** Further limits on `$/chunk` reassembly: the bound on what unfinished streams hold, their expiry, its clock. */
  chunkLimits?: Omit<ChunkAssemblerOptions, 'maxMessageBytes'>;
  /** Called whenever a call or notification handler finished, so a paused reader can look again. */
  onSettled?: () => void;
  /** While true (the client is not reading), `$/progress` notifications are dropped rather than queued. */
  congested?: () => boolean;
}

type Reply = ResponseMessage | undefined;

export class Connection {
  private readonly inFlight = new Map<RequestId, CallState>();
  private readonly runningNotifications = new Set<CallState>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly assembler: ChunkAssembler;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private expiryTimer: NodeJS.Timeout | undefined;
  private droppedProgress = 0;

  constructor(private readonly options: ConnectionOptions) {
    this.assembler = new ChunkAssembler({ ...options.chunkLimits, maxMessageBytes: options.maxAssembledBytes });
  }

  /** `$/progress` notifications dropped because the client was not reading. */
  get droppedProgressNotifications(): number {
    return this.droppedProgress;
  }

  /** Requests (and notification handlers) still running. */
  get activeCalls(): number {
    return this.pending.size;
  }

  handleFrame(body: Uint8Array): void {
    let text: string;
    try {
      text = this.decoder.decode(body);
    } catch {
      this.send(parseError('the frame body is not valid UTF-8'));
      return;
    }
    this.handleText(text);
  }

  /** Answers a frame the reader refused because of its size (its body is skipped). */
  handleOversizedFrame(length: number, max: number): void {
    this.options.logger.warn('refused an oversized frame', { bytes: length, max });
    this.send(
      failure(null, {
        code: ErrorCode.FrameTooLarge,
        message:
          `Frame of ${length} bytes exceeds the host's maximum of ${max} bytes; ` +
          `large messages must be sent in pieces as $/chunk notifications`,
        data: { length, max },
      }),
    );
  }

  handleText(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.send(parseError(error instanceof Error ? error.message : String(error)));
      return;
    }
    if (!Array.isArray(value)) {
      const reply = this.handleMessage(value);
      if (reply instanceof Promise) this.track(reply.then((r) => r && this.send(r)));
      else if (reply) this.send(reply);
      return;
    }
    if (value.length === 0) {
      this.send(failure(null, { code: ErrorCode.InvalidRequest, message: 'Invalid Request: an empty batch' }));
      return;
    }
    const replies = value.map((element) => this.handleMessage(element));
    this.track(
      Promise.all(replies).then((all) => {
        const responses = all.filter((r): r is ResponseMessage => r !== undefined);
        // A batch of notifications only gets no reply at all (§6).
        if (responses.length > 0) this.send(responses);
      }),
    );
  }

  /** Cancels every running call (shutdown after the grace period). */
  cancelAll(why: string): void {
    const reason = new RpcError(ErrorCode.RequestCancelled, `Request cancelled: ${why}`);
    for (const state of this.inFlight.values()) state.abort(reason);
    for (const state of this.runningNotifications) state.abort(reason);
  }

  /** Resolves when no call is running and every reply has been queued. */
  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Drops partial chunk streams (end of input). */
  dispose(): void {
    this.assembler.clear();
    this.stopExpiryTimer();
  }

  private handleMessage(value: unknown): Reply | Promise<Reply> {
    const classified = classify(value);
    switch (classified.kind) {
      case 'invalid':
        return failure(classified.id, { code: ErrorCode.InvalidRequest, message: `Invalid Request: ${classified.reason}` });
      case 'response':
        // The host sends no requests of its own yet, so there is nothing to correlate a response with.
        this.options.logger.debug('ignored a response message from the client', { id: classified.message.id });
        return undefined;
      case 'notification':
        // A refused caller's chunks are still joined, so the request they carry gets its refusal.
        if (this.options.refusal && classified.message.method !== CHUNK) return undefined;
        this.handleNotification(classified.message);
        return undefined;
      case 'request':
        if (this.options.refusal) {
          return failure(classified.message.id, { code: ErrorCode.OriginNotAllowed, message: this.options.refusal });
        }
        return this.handleRequest(classified.message);
    }
  }

  private handleNotification(message: NotificationMessage): void {
    const { method, params } = message;
    if (method === CANCEL_REQUEST) return this.cancel(params);
    if (method === CHUNK) return this.acceptChunk(params);
    const definition = method.startsWith('$/') ? undefined : this.options.registry.get(method);
    if (!definition) {
      // Unknown notifications are dropped silently (JSON-RPC §4.1: never answered).
      this.options.logger.debug('ignored notification for an unknown method', { method });
      return;
    }
    const state = new CallState();
    this.runningNotifications.add(state);
    const started = performance.now();
    const finish = (outcome: CallOutcome): void => {
      this.runningNotifications.delete(state);
      const ms = elapsed(started);
      if (outcome.ok) this.options.logger.debug('notification handled', { method, ms });
      else this.options.logger.warn('notification failed', { method, ms, code: outcome.error.code });
    };
    const outcome = runCall({ id: null, method, params, definition, state, logger: this.options.logger });
    if (outcome instanceof Promise) this.track(outcome.then(finish));
    else finish(outcome);
  }

  private handleRequest(message: RequestMessage): ResponseMessage | Promise<ResponseMessage> {
    const { id, method, params } = message;
    const log = this.options.logger;
    if (method === CANCEL_REQUEST || method === CHUNK) {
      // Meant as notifications; sent as requests they still work, and are answered.
      this.handleNotification({ jsonrpc: '2.0', method, params });
      return success(id, null);
    }
    const definition = method.startsWith('$/') ? undefined : this.options.registry.get(method);
    if (!definition) {
      log.debug('method not found', { method, id });
      return failure(id, { code: ErrorCode.MethodNotFound, message: `Method not found: ${method}` });
    }
    const state = new CallState();
    this.inFlight.set(id, state);
    const debug = log.enabled('debug');
    const started = debug ? performance.now() : 0;
    if (debug) log.debug('call', { method, id });
    const finish = (outcome: CallOutcome): ResponseMessage => {
      if (this.inFlight.get(id) === state) this.inFlight.delete(id);
      if (debug) log.debug(outcome.ok ? 'answered' : 'answered with an error', { method, id, ms: elapsed(started), code: outcome.ok ? undefined : outcome.error.code });
      return outcome.ok ? success(id, outcome.result) : failure(id, outcome.error);
    };
    const outcome = runCall({
      id,
      method,
      params,
      definition,
      state,
      logger: log,
      onProgress: (update) => {
        if (this.options.congested?.()) this.droppedProgress += 1;
        else this.send(notification(PROGRESS, { id, ...update }));
      },
    });
    return outcome instanceof Promise ? outcome.then(finish) : finish(outcome);
  }

  private cancel(params: unknown): void {
    const parsed = cancelParams.safeParse(params);
    if (!parsed.success) {
      this.options.logger.warn('ignored a malformed $/cancelRequest');
      return;
    }
    const state = this.inFlight.get(parsed.data.id);
    if (!state) {
      // Already answered: cancellation is advisory and races with completion.
      this.options.logger.debug('cancel for a request that is not running', { id: parsed.data.id });
      return;
    }
    this.options.logger.info('cancelling request', { id: parsed.data.id });
    state.abort(new RpcError(ErrorCode.RequestCancelled, 'Request cancelled by the client'));
  }

  private acceptChunk(params: unknown): void {
    let text: string | undefined;
    try {
      text = this.assembler.accept(params);
    } catch (error) {
      this.reportChunkFailure(isRpcError(error) ? error : new RpcError(ErrorCode.ChunkAssemblyFailed, String(error)));
      return;
    } finally {
      this.watchExpiry();
    }
    if (text !== undefined) this.handleText(text);
  }

  private reportChunkFailure(error: RpcError): void {
    this.options.logger.warn('chunk stream failed', { error: error.message });
    this.send(failure(null, error.toJSON()));
  }

  /** Sweeps for expired chunk streams while any is open; the timer never keeps the process alive. */
  private watchExpiry(): void {
    const timeout = this.options.chunkLimits?.streamTimeoutMs;
    if (timeout === undefined) return;
    if (this.assembler.openStreams === 0) return this.stopExpiryTimer();
    if (this.expiryTimer) return;
    const every = Math.min(1000, Math.max(10, Math.floor(timeout / 4)));
    this.expiryTimer = setInterval(() => {
      for (const error of this.assembler.expire()) this.reportChunkFailure(error);
      if (this.assembler.openStreams === 0) this.stopExpiryTimer();
    }, every).unref();
  }

  private stopExpiryTimer(): void {
    clearInterval(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => this.options.logger.error('dispatch failed', {}, error));
    this.pending.add(tracked);
    void tracked.finally(() => {
      this.pending.delete(tracked);
      this.options.onSettled?.();
    });
  }

  /** Queues a reply; a result that cannot be serialized becomes an InternalError instead. */
  private send(message: ResponseMessage | ResponseMessage[] | NotificationMessage): void {
    try {
      this.options.writer.send(message);
    } catch (error) {
      this.options.logger.error('could not serialize a reply', {}, error);
      const repair = (m: ResponseMessage): ResponseMessage =>
        serializable(m) ? m : failure(m.id, { code: ErrorCode.InternalError, message: 'Internal error: the result could not be serialized as JSON' });
      if (Array.isArray(message)) this.options.writer.send(message.map(repair));
      else if ('id' in message) this.options.writer.send(repair(message));
    }
  }
}

function serializable(value: unknown): boolean {
  try {
    return typeof JSON.stringify(value) === 'string';
  } catch {
    return false;
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
