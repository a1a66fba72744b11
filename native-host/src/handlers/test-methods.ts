/**
 * Methods for tests only, registered when FERRY_HOST_TEST_METHODS=1 and absent from the public
 * catalogue: `test.sleep` (slow, cancellable, reports progress), `test.stdoutNoise` (writes to stdout
 * behind the host's back) and the example methods of the
 * JSON-RPC 2.0 specification, section 7, with exactly the behaviour the examples show
 * (`foobar` stays unknown on purpose).
 */
import { z } from 'zod';
import { ErrorCode, RpcError } from '../../../src/protocol';
import type { MethodRegistry } from '../method-registry';

const sleepParams = z.object({
  ms: z.number().int().nonnegative().max(10 * 60_000),
  progressEveryMs: z.number().int().positive().optional(),
});

const subtractParams = z.union([
  z.tuple([z.number(), z.number()]),
  z.object({ minuend: z.number(), subtrahend: z.number() }),
]);

const anyParams = z.unknown();

export function registerTestMethods(registry: MethodRegistry): void {
  registry.register('test.sleep', {
    params: sleepParams,
    result: z.object({ sleptMs: z.number() }),
    handler: (params, context) => {
      const { ms, progressEveryMs } = params as z.output<typeof sleepParams>;
      return sleep(ms, progressEveryMs, context.signal, (done) => context.progress({ message: 'sleeping', done, total: ms }));
    },
  });

  // Misbehaves the way a chatty dependency would: the stdout guard must keep these off the wire.
  registry.register('test.stdoutNoise', {
    handler: () => {
      /* eslint-disable no-console -- deliberately noisy: the host must divert all of it */
      console.log('noise from console.log');
      console.info('noise from console.info');
      console.warn('noise from console.warn');
      /* eslint-enable no-console */
      process.stdout.write('noise from process.stdout.write\n');
      process.stdout.write(Buffer.from([0, 1, 2, 3]));
      return { noisy: true };
    },
  });

  registry.register('subtract', {
    params: subtractParams,
    handler: (params) => {
      const p = params as z.output<typeof subtractParams>;
      return Array.isArray(p) ? p[0] - p[1] : p.minuend - p.subtrahend;
    },
  });
  registry.register('sum', {
    params: z.array(z.number()),
    handler: (params) => (params as number[]).reduce((a, b) => a + b, 0),
  });
  // Notifications in the spec's examples: accepted, no effect.
  for (const name of ['update', 'notify_hello', 'notify_sum']) {
    registry.register(name, { params: anyParams, handler: () => null });
  }
  registry.register('get_data', { params: anyParams, handler: () => ['hello', 5] });
}

function sleep(ms: number, progressEveryMs: number | undefined, signal: AbortSignal, progress: (done: number) => void) {
  return new Promise<{ sleptMs: number }>((resolve, reject) => {
    if (signal.aborted) return reject(new RpcError(ErrorCode.RequestCancelled, 'test.sleep cancelled before it started'));
    const started = Date.now();
    const ticker = progressEveryMs ? setInterval(() => progress(Math.min(ms, Date.now() - started)), progressEveryMs) : undefined;
    const finish = (): void => {
      clearTimeout(timer);
      if (ticker) clearInterval(ticker);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(new RpcError(ErrorCode.RequestCancelled, `test.sleep cancelled after ${Date.now() - started} ms`));
    };
    const timer = setTimeout(() => {
      finish();
      resolve({ sleptMs: Date.now() - started });
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
