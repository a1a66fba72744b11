/**
 * Builds the host bundle once before the host tests. Each of Ferry's own host test files also calls
 * buildHost() in beforeAll, so this is only needed by test files that spawn the bundle without it;
 * enable with `globalSetup: ['tests/host/global-setup.ts']` in the host project of vitest.config.ts.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './host-process';

export default function setup(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'native-host/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
