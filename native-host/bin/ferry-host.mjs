#!/usr/bin/env node
// Entry point for `ferry-host` (package.json "bin"). The host itself is the esbuild bundle in
// ../dist, which runs the CLI as soon as it is imported.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/ferry-host.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('Ferry host is not built: run `npm run build:host`\n');
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
