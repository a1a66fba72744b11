/**
 * Host settings read from the environment once at startup. Every variable is optional; a malformed
 * value is reported and the default used, because a host that refuses to start only shows the user
 * "native host has exited" in the browser.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export interface HostConfig {
  /** Largest frame accepted from the browser (FERRY_HOST_MAX_FRAME_BYTES, default 64 MiB). */
  maxFrameBytes: number;
  /** Largest message rebuilt from `$/chunk` pieces (FERRY_HOST_MAX_MESSAGE_BYTES, default 256 MiB). */
  maxMessageBytes: number;
  /** FERRY_LOG_LEVEL: error | warn | info | debug (default info). */
  logLevel: LogLevel;
  /** Extra callers allowed besides Ferry's own extension (FERRY_HOST_ALLOWED_ORIGINS, comma-separated). */
  extraAllowedOrigins: string[];
  /** Registers the test.* and JSON-RPC spec example methods (FERRY_HOST_TEST_METHODS=1). */
  testMethods: boolean;
  /**
   * After stdin ends: how long in-flight calls may run before they are cancelled, and how long the
   * final flush may see stdout take nothing before unsent frames are dropped
   * (FERRY_HOST_SHUTDOWN_GRACE_MS, default 2000).
   */
  shutdownGraceMs: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_ASSEMBLED_BYTES = 256 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_MS = 2000;

export interface ConfigResult {
  config: HostConfig;
  /** Problems with the environment, to be logged once the logger exists. */
  warnings: string[];
}

export function readHostConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const warnings: string[] = [];
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min) return value;
    warnings.push(`${name}=${JSON.stringify(raw)} is not an integer >= ${min}; using ${fallback}`);
    return fallback;
  };

  let logLevel: LogLevel = 'info';
  const rawLevel = env.FERRY_LOG_LEVEL?.trim().toLowerCase();
  if (rawLevel) {
    if ((LOG_LEVELS as readonly string[]).includes(rawLevel)) logLevel = rawLevel as LogLevel;
    else warnings.push(`FERRY_LOG_LEVEL=${JSON.stringify(env.FERRY_LOG_LEVEL)} is not one of ${LOG_LEVELS.join('|')}; using info`);
  }

  return {
    config: {
      maxFrameBytes: int('FERRY_HOST_MAX_FRAME_BYTES', DEFAULT_MAX_FRAME_BYTES, 1),
      maxMessageBytes: int('FERRY_HOST_MAX_MESSAGE_BYTES', DEFAULT_MAX_ASSEMBLED_BYTES, 1),
      logLevel,
      extraAllowedOrigins: (env.FERRY_HOST_ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      testMethods: env.FERRY_HOST_TEST_METHODS === '1',
      shutdownGraceMs: int('FERRY_HOST_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0),
    },
    warnings,
  };
}
