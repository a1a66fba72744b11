/**
 * Makes sure the two artifacts the benchmark loads exist and are not older than their sources:
 * the host bundle (native-host/dist/ferry-host.mjs) and the Chrome build (.output/chrome-mv3).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time of any non-test file under the given paths (0 when none exist). */
function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules' && !entry.startsWith('.')) visit(path.join(p, entry));
    } else if (!/\.test\.[cm]?[jt]sx?$/.test(p) && stat.mtimeMs > newest) newest = stat.mtimeMs;
  };
  for (const p of paths) visit(p);
  return newest;
}

/**
 * @param {string} root repository root
 * @param {{ mode: 'auto' | 'never' | 'always', log: (line: string) => void }} options
 *   auto builds what is missing or older than its sources; never only checks; always rebuilds both.
 */
export function ensureBuilt(root, { mode, log }) {
  const r = (...p) => path.join(root, ...p);
  const targets = [
    {
      name: 'native host bundle',
      output: r('native-host/dist/ferry-host.mjs'),
      sources: [r('native-host/src'), r('src/protocol'), r('native-host/build.mjs')],
      build: () => execFileSync(process.execPath, [r('native-host/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }),
    },
    {
      name: 'Chrome extension build',
      output: r('.output/chrome-mv3/manifest.json'),
      sources: [r('src'), r('entrypoints'), r('public'), r('wxt.config.ts')],
      build: () =>
        execFileSync(process.execPath, [r('node_modules/wxt/bin/wxt.mjs'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }),
    },
  ];
  for (const target of targets) {
    const present = existsSync(target.output);
    const stale = present && newestMtime(target.sources) > statSync(target.output).mtimeMs;
    if (mode === 'never') {
      if (!present) throw new Error(`The ${target.name} is missing (${path.relative(root, target.output)}); run without --no-build.`);
      if (stale) log(`warning: the ${target.name} is older than its sources (--no-build given, using it anyway)`);
      continue;
    }
    if (mode === 'always' || !present || stale) {
      log(`building the ${target.name}${present ? (stale ? ' (sources changed)' : '') : ' (missing)'}…`);
      target.build();
    }
  }
}
