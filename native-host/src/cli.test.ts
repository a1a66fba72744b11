/** The CLI's help text documents every environment variable the host reads. */
import { describe, expect, it } from 'vitest';
import { USAGE } from './cli';
import { readHostConfig } from './config';
import { resolvePaths } from './home';

/** An environment that records which variables are read. */
function recordingEnv(read: Set<string>): NodeJS.ProcessEnv {
  return new Proxy({} as NodeJS.ProcessEnv, {
    get(_, key) {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
}

describe('ferry-host --help', () => {
  it('lists every FERRY_* variable the host reads', () => {
    const read = new Set<string>();
    readHostConfig(recordingEnv(read));
    for (const platform of ['linux', 'darwin', 'win32'] as const) resolvePaths({ env: recordingEnv(read), platform, home: '/home/u' });
    const ferry = [...read].filter((key) => key.startsWith('FERRY_')).sort();
    expect(ferry).toEqual([
      'FERRY_HOME',
      'FERRY_HOST_ALLOWED_ORIGINS',
      'FERRY_HOST_CHUNK_TIMEOUT_MS',
      'FERRY_HOST_MAX_ACTIVE_CALLS',
      'FERRY_HOST_MAX_CHUNK_BUFFER_BYTES',
      'FERRY_HOST_MAX_FRAME_BYTES',
      'FERRY_HOST_MAX_MESSAGE_BYTES',
      'FERRY_HOST_MAX_RESULT_BYTES',
      'FERRY_HOST_MAX_UNSENT_BYTES',
      'FERRY_HOST_SHUTDOWN_GRACE_MS',
      'FERRY_HOST_TEST_METHODS',
      'FERRY_LOG_LEVEL',
    ]);
    const documented = USAGE.slice(USAGE.indexOf('Environment'));
    for (const name of ferry) expect(documented, name).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });
});
