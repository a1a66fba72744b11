/**
 * `ferry-host serve`: the stdio host a browser starts. Wires the logger, the stdout guard, the
 * frame writer, the method table and the dispatcher, then serves until stdin ends or a signal
 * arrives, and shuts down without losing a frame: in-flight calls get a grace period (then are
 * cancelled), every queued frame is flushed, and only then does the process end. A browser that
 * stops reading stdout without closing it cannot keep the host alive: once stdout has taken no bytes
 * for the grace period, the frames still queued are dropped (and logged) and the host exits anyway.
 */
import { endianness } from 'node:os';
import { join } from 'node:path';
import { readHostConfig } from './config';
import { Connection } from './connection';
import { checkCaller } from './caller-check';
import { DatabaseConnections } from './db/connections';
import { registerDbMethods } from './handlers/db';
import { registerFsMethods } from './handlers/fs';
import { registerSystemMethods } from './handlers/system';
import { registerTestMethods } from './handlers/test-methods';
import { ensureDir, resolvePaths } from './home';
import { createLogger, rotatingFileSink, stderrSink, type LineSink } from './logger';
import { MethodRegistry } from './method-registry';
import { StdioTransport } from './stdio-transport';
import { guardStdout, type FrameSink } from './stdout-guard';
import { HOST_VERSION } from './version';
import { FrameWriter } from './writer';

/** Serves until input ends; resolves with the exit code once every frame has been flushed. */
export function serve(browserArgs: readonly string[]): Promise<number> {
  const startedAt = new Date();
  const { config, warnings } = readHostConfig();
  const paths = resolvePaths();

  const sinks: LineSink[] = [stderrSink()];
  let logFile: string | null = null;
  try {
    logFile = join(ensureDir(paths.logsDir), 'host.log');
    sinks.push(rotatingFileSink({ path: logFile }));
  } catch (error) {
    warnings.push(`cannot write the log file in ${paths.logsDir}: ${(error as Error).message}; logging to stderr only`);
  }
  const logger = createLogger(config.logLevel, sinks);
  const sink = watchProgress(guardStdout(logger));
  for (const warning of warnings) logger.warn(warning);

  const caller = checkCaller(browserArgs, config.extraAllowedOrigins);
  logger.info('host started', {
    version: HOST_VERSION,
    node: process.version,
    caller: caller.caller ?? 'none',
    testMethods: config.testMethods,
    logFile,
  });
  if (!caller.allowed) logger.warn('refusing caller: every request will be answered with OriginNotAllowed', { caller: caller.caller });

  const writer = new FrameWriter(sink, { littleEndian: endianness() === 'LE', logger });
  const registry = new MethodRegistry();
  registerSystemMethods(registry, { dataDir: paths.dataDir, startedAt });
  const databases = new DatabaseConnections(paths.dataDir);
  registerDbMethods(registry, databases);
  registerFsMethods(registry, { configDir: paths.configDir, protectedDirs: [paths.configDir, paths.binDir] });
  if (config.testMethods) registerTestMethods(registry);
  const connection = new Connection({
    registry,
    writer,
    logger,
    maxAssembledBytes: config.maxMessageBytes,
    refusal: caller.refusal,
  });

  return new Promise((resolve) => {
    let exitCode = 0;
    let stopping = false;

    const shutdown = async (reason: string): Promise<void> => {
      stopping = true;
      connection.dispose();
      logger.info('shutting down', { reason, activeCalls: connection.activeCalls, queuedFrames: writer.queuedFrames });
      if (!(await settlesWithin(connection.whenIdle(), config.shutdownGraceMs))) {
        logger.warn('cancelling calls still running after the grace period', { activeCalls: connection.activeCalls, graceMs: config.shutdownGraceMs });
        connection.cancelAll('the host is shutting down');
        await connection.whenIdle();
      }
      await databases.closeAll();
      if (!(await flushes(writer, sink, config.shutdownGraceMs))) {
        logger.warn(`stdout made no progress for ${config.shutdownGraceMs} ms; dropping unsent frames`, {
          unsentFrames: writer.queuedFrames,
        });
      }
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      logger.info('exit', { code: exitCode, uptimeMs: Date.now() - startedAt.getTime() });
      resolve(exitCode);
    };

    const transport = new StdioTransport(process.stdin, config.maxFrameBytes, {
      frame: (body) => connection.handleFrame(body),
      oversized: (length, max) => connection.handleOversizedFrame(length, max),
      end: (truncation) => {
        if (truncation) logger.warn(`truncated input: ${truncation}`);
        void shutdown(stopping ? 'stopped' : 'stdin ended');
      },
    });

    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second signal: stop waiting for calls, but still flush what is queued.
        connection.cancelAll(`${signal} received twice`);
        return;
      }
      logger.info('signal received', { signal });
      stopping = true;
      transport.stop();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('uncaughtException', (error) => {
      logger.error('uncaught exception', {}, error);
      exitCode = 1;
      if (!stopping) {
        stopping = true;
        transport.stop();
      }
    });
    process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', {}, reason));

    transport.start();
  });
}

/** A sink that notes when stdout last took bytes: a write completed, or it drained after pushing back. */
interface WatchedSink extends FrameSink {
  readonly lastProgress: number;
}

function watchProgress(sink: FrameSink): WatchedSink {
  let lastProgress = Date.now();
  const progressed = (): void => {
    lastProgress = Date.now();
  };
  return {
    get lastProgress() {
      return lastProgress;
    },
    write: (chunk, callback) =>
      sink.write(chunk, (error) => {
        if (!error) progressed();
        callback(error);
      }),
    once: (event, listener) =>
      sink.once(event, () => {
        progressed();
        listener();
      }),
    on: (event, listener) => sink.on(event, listener),
  };
}

/**
 * Waits for the writer to flush for as long as stdout keeps taking bytes; false once it has taken
 * none for `stallMs` (a slow reader still gets everything; a hung one cannot block the exit).
 */
async function flushes(writer: FrameWriter, sink: WatchedSink, stallMs: number): Promise<boolean> {
  const flushed = writer.flush();
  const started = Date.now();
  for (;;) {
    const left = Math.max(sink.lastProgress, started) + stallMs - Date.now();
    if (await settlesWithin(flushed, Math.max(left, 0))) return true;
    if (Math.max(sink.lastProgress, started) + stallMs <= Date.now()) return false;
  }
}

/** True when `promise` settles within `ms`; the timer never outlives the wait. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
