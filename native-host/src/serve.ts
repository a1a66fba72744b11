/**
 * `ferry-host serve`: the stdio host a browser starts. Wires the logger, the stdout guard, the
 * frame writer, the method table and the dispatcher, then serves until stdin ends or a signal
 * arrives, and shuts down without losing a frame: in-flight calls get a grace period (then are
 * cancelled), every queued frame is flushed, and only then does the process end. A browser that
 * stops reading stdout without closing it cannot keep the host alive: once stdout has taken no bytes
 * for the grace period, the frames still queued are dropped (and logged) and the host exits anyway.
 * A browser that vanished (stdout fails with EPIPE) stops the host as stdin's end does, and while
 * the browser reads replies slower than it sends requests, stdin is paused (see Backpressure).
 */
import { endianness } from 'node:os';
import { join } from 'node:path';
import { Backpressure } from './backpressure';
import { readHostConfig } from './config';
import { Connection } from './connection';
import { checkCaller } from './caller-check';
import { DatabaseConnections } from './db/connections';
import { SqliteRunnerClient } from './db/sqlite-runner-client';
import { registerDbMethods } from './handlers/db';
import { registerFsMethods } from './handlers/fs';
import { registerSystemMethods } from './handlers/system';
import { registerTestMethods } from './handlers/test-methods';
import { ensureDir, resolvePaths } from './home';
import { createLogger, rotatingFileSink, stderrSink, type LineSink } from './logger';
import { MethodRegistry } from './method-registry';
import { StdioTransport } from './stdio-transport';
import { hostScriptPath } from './self';
import { guardStdout, type FrameSink } from './stdout-guard';
import { HOST_VERSION } from './version';
import { FrameWriter } from './writer';

/** Serves until input ends; resolves with the exit code once every frame has been flushed. */
export function serve(browserArgs: readonly string[]): Promise<number> {
  const startedAt = new Date();
  const { config, warnings } = readHostConfig();
  const paths = resolvePaths();

  // stderr failing (EPIPE) only means nobody reads the log there any more: the file keeps it, and
  // the host goes on serving, since stdin and stdout, not stderr, are its client.
  const sinks: LineSink[] = [stderrSink(process.stderr, { onClosed: (error) => logger.warn('stderr closed; logging to the file only', { error: error.message }) })];
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

  return new Promise((resolve) => {
    let exitCode = 0;
    /** Why the host stops, once something asked it to; null while it serves. */
    let stopReason: string | null = null;
    let shuttingDown = false;
    let uncaughtExceptions = 0;

    const writer = new FrameWriter(sink, {
      littleEndian: endianness() === 'LE',
      logger,
      onProgress: () => pressure.update(),
      // The browser is gone (EPIPE): nothing the host does can reach it any more, so stop.
      onClosed: () => stop('stdout closed'),
    });
    const registry = new MethodRegistry();
    registerSystemMethods(registry, { dataDir: paths.dataDir, startedAt });
    const databases = new DatabaseConnections(paths.dataDir);
    const sqliteRunner = new SqliteRunnerClient({ script: hostScriptPath(), dataDir: paths.dataDir, logger });
    // However the host ends (a forced exit included), its runner goes with it.
    process.once('exit', () => sqliteRunner.kill());
    registerDbMethods(registry, databases, { sqliteRunner, maxResultBytes: config.maxResultBytes });
    registerFsMethods(registry, { configDir: paths.configDir, protectedDirs: [paths.configDir, paths.binDir] });
    if (config.testMethods) registerTestMethods(registry);
    const connection = new Connection({
      registry,
      writer,
      logger,
      maxAssembledBytes: config.maxMessageBytes,
      refusal: caller.refusal,
      chunkLimits: {
        maxBufferedBytes: config.maxChunkBufferBytes,
        streamTimeoutMs: config.chunkTimeoutMs,
        // Time stands still while input is held, so a stream whose pieces wait in the pipe never expires.
        now: () => transport.readingMs(),
        byteLength: (text) => Buffer.byteLength(text, 'utf8'),
        settingNames: {
          maxMessageBytes: 'FERRY_HOST_MAX_MESSAGE_BYTES',
          maxBufferedBytes: 'FERRY_HOST_MAX_CHUNK_BUFFER_BYTES',
          streamTimeoutMs: 'FERRY_HOST_CHUNK_TIMEOUT_MS',
        },
      },
      onSettled: () => pressure.update(),
      congested: () => writer.unsentBytes > config.maxUnsentBytes,
    });

    const transport = new StdioTransport(process.stdin, config.maxFrameBytes, {
      frame: (body) => connection.handleFrame(body),
      oversized: (length, max) => connection.handleOversizedFrame(length, max),
      afterData: () => pressure.update(),
      end: (truncation) => {
        if (truncation) logger.warn(`truncated input: ${truncation}`);
        void shutdown(stopReason ?? 'stdin ended');
      },
    });
    const pressure = new Backpressure({
      maxUnsentBytes: config.maxUnsentBytes,
      maxActiveCalls: config.maxActiveCalls,
      load: () => ({ unsentBytes: writer.unsentBytes, activeCalls: connection.activeCalls }),
      pause: () => transport.hold(),
      resume: () => transport.release(),
      logger,
    });

    /** Stops reading; the transport then reports the end of input, which starts the shutdown. */
    const stop = (reason: string): void => {
      if (stopReason !== null) return;
      stopReason = reason;
      transport.stop();
    };

    const shutdown = async (reason: string): Promise<void> => {
      if (shuttingDown) return;
      shuttingDown = true;
      const watchdog = startWatchdog(sink, config.shutdownGraceMs, () => {
        logger.error('shutdown is stuck; exiting without finishing it', { activeCalls: connection.activeCalls, unsentFrames: writer.queuedFrames });
        process.exit(exitCode);
      });
      connection.dispose();
      logger.info('shutting down', { reason, activeCalls: connection.activeCalls, queuedFrames: writer.queuedFrames });
      const grace = config.shutdownGraceMs;
      if (!(await settlesWithin(connection.whenIdle(), grace))) {
        logger.warn('cancelling calls still running after the grace period', { activeCalls: connection.activeCalls, graceMs: grace });
        connection.cancelAll('the host is shutting down');
        // A handler that ignores its AbortSignal cannot hold the exit.
        if (!(await settlesWithin(connection.whenIdle(), grace))) {
          logger.warn('exiting with calls that ignored cancellation', { activeCalls: connection.activeCalls });
        }
      }
      sqliteRunner.kill();
      if (!(await settlesWithin(databases.closeAll(), grace))) logger.warn(`database connections did not close within ${grace} ms`);
      if (!(await flushes(writer, sink, grace))) {
        logger.warn(`stdout made no progress for ${grace} ms; dropping unsent frames`, {
          unsentFrames: writer.queuedFrames,
        });
      }
      clearInterval(watchdog);
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      logger.info('exit', {
        code: exitCode,
        uptimeMs: Date.now() - startedAt.getTime(),
        inputPauses: pressure.pauseCount || undefined,
        droppedProgress: connection.droppedProgressNotifications || undefined,
      });
      resolve(exitCode);
    };

    const onSignal = (signal: NodeJS.Signals): void => {
      if (shuttingDown) {
        // Another signal: stop waiting for calls, but still flush what is queued.
        connection.cancelAll(`${signal} received during shutdown`);
        return;
      }
      logger.info('signal received', { signal });
      stop(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('uncaughtException', (error) => {
      uncaughtExceptions += 1;
      exitCode = 1;
      // A fault that repeats on every turn must not fill the log: the first few say what it is.
      if (uncaughtExceptions <= MAX_LOGGED_UNCAUGHT) logger.error('uncaught exception', {}, error);
      else if (uncaughtExceptions === MAX_LOGGED_UNCAUGHT + 1) logger.error('more uncaught exceptions follow; not logging them');
      // Ones thrown back to back from callbacks starve the event loop (no timer or signal runs): end it here.
      if (uncaughtExceptions >= UNCAUGHT_EXCEPTIONS_BEFORE_EXIT) process.exit(1);
      stop('uncaught exception');
    });
    process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', {}, reason));

    transport.start();
  });
}

const MAX_LOGGED_UNCAUGHT = 3;
const UNCAUGHT_EXCEPTIONS_BEFORE_EXIT = 100;

/**
 * Forces the exit when a shutdown has neither finished nor seen stdout take a byte for long after
 * every step's own deadline would have passed (a safety net: each step is already bounded).
 */
function startWatchdog(sink: WatchedSink, graceMs: number, onStuck: () => void): NodeJS.Timeout {
  const started = Date.now();
  const limitMs = 4 * graceMs + 5000;
  const timer = setInterval(() => {
    if (Date.now() - Math.max(started, sink.lastProgress) > limitMs) onStuck();
  }, 500);
  return timer.unref();
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
