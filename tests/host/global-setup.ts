/**
 * Builds the host bundle (native-host/dist/ferry-host.mjs) once before the host tests, which all spawn
 * it; the host project of vitest.config.ts runs it as its globalSetup.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../support/paths';

export default function setup(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'native-host/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
