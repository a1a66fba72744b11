/** The README's `npm start -- --headless` smoke run, against the built extension and host. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { ROOT } from '../support/paths';

test('npm start --headless prints a connected host status and exits 0', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ferry-start-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--headless', '--no-build'], {
      cwd: ROOT,
      env: { ...process.env, FERRY_HOME: path.join(tmp, 'home'), FERRY_DEV_PROFILE: path.join(tmp, 'profile') },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/Ferry native host: connected — host \d+\.\d+\.\d+, protocol 1, Node v\d+/);
    expect(stdout).toContain(`Data directory: ${path.join(tmp, 'home', 'data')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
