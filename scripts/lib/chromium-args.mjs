/**
 * The flags every automated Chromium of Ferry's uses (tests, benchmarks, npm start): Ferry loaded,
 * no first-run UI, no background traffic, and — unless a person is browsing — no network beyond
 * loopback: every host name but localhost and 127.0.0.1 fails to resolve.
 */
export const LOOPBACK_ONLY_RULES = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1';

/** @param {{ extensionDir?: string, headless?: boolean, loopbackOnly?: boolean }} options */
export function chromiumArgs({ extensionDir, headless = true, loopbackOnly = true } = {}) {
  return [
    ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(headless ? ['--disable-gpu'] : []),
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(loopbackOnly ? [LOOPBACK_ONLY_RULES] : []),
  ];
}
