import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FRAME_BYTES, readHostConfig } from './config';

describe('readHostConfig', () => {
  it('has defaults for everything', () => {
    expect(readHostConfig({})).toEqual({
      config: {
        maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
        maxMessageBytes: 256 * 1024 * 1024,
        logLevel: 'info',
        extraAllowedOrigins: [],
        testMethods: false,
        shutdownGraceMs: 2000,
        maxUnsentBytes: 1024 * 1024,
        maxActiveCalls: 512,
        maxChunkBufferBytes: 256 * 1024 * 1024,
        chunkTimeoutMs: 30_000,
        maxResultBytes: 64 * 1024 * 1024,
      },
      warnings: [],
    });
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(64 * 1024 * 1024);
  });

  it('reads every variable', () => {
    const { config, warnings } = readHostConfig({
      FERRY_HOST_MAX_FRAME_BYTES: '1000',
      FERRY_HOST_MAX_MESSAGE_BYTES: '5000',
      FERRY_LOG_LEVEL: 'DEBUG',
      FERRY_HOST_ALLOWED_ORIGINS: ' a@b , ,chrome-extension://x/ ',
      FERRY_HOST_TEST_METHODS: '1',
      FERRY_HOST_SHUTDOWN_GRACE_MS: '0',
      FERRY_HOST_MAX_UNSENT_BYTES: '4096',
      FERRY_HOST_MAX_ACTIVE_CALLS: '8',
      FERRY_HOST_MAX_CHUNK_BUFFER_BYTES: '6000',
      FERRY_HOST_CHUNK_TIMEOUT_MS: '250',
      FERRY_HOST_MAX_RESULT_BYTES: '7000',
    });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      maxFrameBytes: 1000,
      maxMessageBytes: 5000,
      logLevel: 'debug',
      extraAllowedOrigins: ['a@b', 'chrome-extension://x/'],
      testMethods: true,
      shutdownGraceMs: 0,
      maxUnsentBytes: 4096,
      maxActiveCalls: 8,
      maxChunkBufferBytes: 6000,
      chunkTimeoutMs: 250,
      maxResultBytes: 7000,
    });
  });

  it('bounds unfinished chunk streams by the largest message unless told otherwise, and warns when the bound is below it', () => {
    expect(readHostConfig({ FERRY_HOST_MAX_MESSAGE_BYTES: '5000' }).config.maxChunkBufferBytes).toBe(5000);
    const { config, warnings } = readHostConfig({ FERRY_HOST_MAX_MESSAGE_BYTES: '5000', FERRY_HOST_MAX_CHUNK_BUFFER_BYTES: '4000' });
    expect(config.maxChunkBufferBytes).toBe(4000);
    expect(warnings).toEqual([expect.stringContaining('chunked messages above 4000 bytes will be refused')]);
  });

  it('warns about malformed values and keeps the defaults', () => {
    const { config, warnings } = readHostConfig({ FERRY_HOST_MAX_FRAME_BYTES: '64MB', FERRY_LOG_LEVEL: 'loud', FERRY_HOST_TEST_METHODS: 'yes' });
    expect(config.maxFrameBytes).toBe(DEFAULT_MAX_FRAME_BYTES);
    expect(config.logLevel).toBe('info');
    expect(config.testMethods).toBe(false);
    expect(warnings).toHaveLength(2);
    expect(warnings.some((w) => w.startsWith('FERRY_HOST_MAX_FRAME_BYTES="64MB" is not an integer'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('FERRY_LOG_LEVEL="loud" is not one of error|warn|info|debug'))).toBe(true);
    expect(readHostConfig({ FERRY_HOST_MAX_FRAME_BYTES: '0' }).warnings).toHaveLength(1);
  });
});
