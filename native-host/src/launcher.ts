/**
 * The executable a host manifest points at. Browsers start native hosts with a minimal environment
 * (often PATH=/usr/bin:/bin), so `#!/usr/bin/env node` would find no Node or the wrong one: the
 * launcher names the Node binary that ran the installer, and the host bundle, by absolute path.
 */
import { CHROME_EXTENSION_ORIGIN, GECKO_ID, HOST_DESCRIPTION, HOST_NAME } from '../../src/protocol';
import type { BrowserFamily } from './install-targets';

export function launcherFileName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'ferry-host-launcher.cmd' : 'ferry-host-launcher';
}

/**
 * `ferryHome` is the FERRY_HOME the installer ran with, if any: the launcher lives inside that home,
 * so a host started by a browser that lacks the variable must still use it (a FERRY_HOME in the
 * browser's own environment wins).
 */
export function launcherScript(nodePath: string, hostScript: string, platform: NodeJS.Platform, ferryHome?: string): string {
  const stamp = new Date().toISOString();
  if (platform === 'win32') {
    return [
      '@echo off',
      `rem Ferry native host launcher, written by "ferry-host install" at ${stamp}.`,
      'rem Browsers start hosts with a minimal PATH, so Node is named by its absolute path.',
      ...(ferryHome ? [`if not defined FERRY_HOME set "FERRY_HOME=${ferryHome}"`] : []),
      `"${nodePath}" "${hostScript}" serve %*`,
      '',
    ].join('\r\n');
  }
  return [
    '#!/bin/sh',
    `# Ferry native host launcher, written by \`ferry-host install\` at ${stamp}.`,
    '# Browsers start hosts with a minimal PATH, so Node is named by its absolute path.',
    ...(ferryHome ? [`FERRY_HOME="\${FERRY_HOME:-}"; [ -n "$FERRY_HOME" ] || FERRY_HOME=${shellQuote(ferryHome)}; export FERRY_HOME`] : []),
    `exec ${shellQuote(nodePath)} ${shellQuote(hostScript)} serve "$@"`,
    '',
  ].join('\n');
}

/** Single-quotes a word for sh: everything inside '…' is literal except ' itself. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface HostManifest {
  name: string;
  description: string;
  path: string;
  type: 'stdio';
  allowed_origins?: string[];
  allowed_extensions?: string[];
}

export function hostManifest(family: BrowserFamily, launcherPath: string): HostManifest {
  const base = { name: HOST_NAME, description: HOST_DESCRIPTION, path: launcherPath, type: 'stdio' as const };
  return family === 'firefox' ? { ...base, allowed_extensions: [GECKO_ID] } : { ...base, allowed_origins: [CHROME_EXTENSION_ORIGIN] };
}
