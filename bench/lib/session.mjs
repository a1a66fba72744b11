/**
 * The part every browser benchmark shares: the headless browser over a throwaway profile, and one
 * cleanup (browser closed — its hosts exit with their ports —, extra resources closed, temp folder
 * deleted) that runs once, at the end or on Ctrl-C.
 */
import { launchBrowser } from './browser.mjs';

/**
 * @param {{ profile: { root: string, remove(): void }, log: (line: string) => void, closeAlso?: () => Promise<void> }} options
 */
export function benchSession({ profile, log, closeAlso }) {
  let browser;
  let interrupted = false;
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      try {
        await browser?.context.close();
      } catch {
        // Already gone (Ctrl-C reaches the browser too).
      } finally {
        await closeAlso?.();
        profile.remove();
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${signal}: closing the browser and removing ${profile.root}`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  return {
    /** @param {Parameters<typeof launchBrowser>[0]} options */
    async launch(options) {
      browser = await launchBrowser(options);
      return browser;
    },
    /** Reports a failed run; after Ctrl-C the pending evaluate fails because the browser is closing: not worth a word. */
    fail(error) {
      if (interrupted) return;
      process.exitCode = 1;
      log(`failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      if (process.env.FERRY_BENCH_DEBUG) console.error(error);
    },
    cleanup,
  };
}
