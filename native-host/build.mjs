#!/usr/bin/env node
/**
 * Bundles the native host into one ESM file: native-host/dist/ferry-host.mjs.
 *
 * The bundle includes src/protocol (shared with the extension) and zod, so the installed launcher
 * needs nothing but Node, except better-sqlite3 and libpg-query: a native addon cannot be bundled, and
 * libpg-query's loader finds its WebAssembly (libpg-query.wasm, PostgreSQL's parser) beside its own
 * file through __dirname, which an ESM bundle does not have. Both stay external and are resolved at
 * runtime from the checkout's node_modules (the launcher runs the bundle in place); the host imports
 * libpg-query lazily, on the first PostgreSQL statement it classifies. Output is written to a temporary file and renamed into place, so a build
 * running while a host process starts (or while `npm start` and a test run overlap) never exposes a
 * half-written bundle.
 */
import { build } from 'esbuild';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const hostDir = dirname(fileURLToPath(import.meta.url));
const rootDir = dirname(hostDir);
const outFile = join(hostDir, 'dist', 'ferry-host.mjs');

const pkg = JSON.parse(await readFile(join(rootDir, 'package.json'), 'utf8'));
const started = performance.now();

const result = await build({
  entryPoints: [join(hostDir, 'src', 'main.ts')],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  write: false,
  logLevel: 'warning',
  legalComments: 'none',
  external: ['better-sqlite3', 'libpg-query'],
  define: { __FERRY_HOST_VERSION__: JSON.stringify(String(pkg.version)) },
  // Dependencies written as CommonJS call require(); ESM output has none unless we provide it.
  banner: {
    js: "import { createRequire as __ferryCreateRequire } from 'node:module';\nconst require = __ferryCreateRequire(import.meta.url);",
  },
});

await mkdir(dirname(outFile), { recursive: true });
for (const file of result.outputFiles) {
  const temp = `${file.path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, file.contents);
  await rename(temp, file.path);
}

const ms = Math.round(performance.now() - started);
const size = result.outputFiles.find((f) => f.path === outFile)?.contents.byteLength ?? 0;
process.stderr.write(`built ${relative(process.cwd(), outFile) || outFile} (${Math.round(size / 1024)} KiB) in ${ms} ms\n`);
