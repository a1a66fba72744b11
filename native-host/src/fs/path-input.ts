/**
 * Refuses path strings that are malformed or would be misread, before anything touches the disk.
 * Everything else is a plain name: `%2e%2e` is a file called `%2e%2e`, a fullwidth `．．` is a folder
 * with that name, and no shell expansion (`~`, `$HOME`) ever happens.
 */
import { sandboxError } from './sandbox-error';

export const MAX_PATH_BYTES = 4096;
export const MAX_NAME_BYTES = 255;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Throws PathInvalid when `input` cannot be a path Ferry will resolve; returns it otherwise. */
export function checkPathInput(input: unknown, platform: NodeJS.Platform = process.platform): string {
  const invalid = (message: string, reason: string) => sandboxError('PathInvalid', message, typeof input === 'string' ? input : String(input), reason);
  if (typeof input !== 'string' || input.trim() === '') throw invalid('The path is empty: give a file name relative to the default folder, or an absolute path inside a granted folder', 'empty');
  if (input.includes('\0')) throw invalid('The path contains a NUL character', 'nul');
  for (const c of input) {
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) throw invalid(`The path contains a control character (U+${code.toString(16).padStart(4, '0').toUpperCase()})`, 'control-character');
  }
  if (LONE_SURROGATE.test(input)) throw invalid('The path is not well-formed Unicode (a lone surrogate)', 'encoding');
  if (Buffer.byteLength(input) > MAX_PATH_BYTES) throw invalid(`The path is longer than ${MAX_PATH_BYTES} bytes`, 'too-long');
  const windows = platform === 'win32';
  const parts = input.split(windows ? /[\\/]/ : '/');
  if (parts.some((p) => Buffer.byteLength(p) > MAX_NAME_BYTES)) throw invalid(`A name in the path is longer than ${MAX_NAME_BYTES} bytes`, 'too-long');
  if (parts[0]!.startsWith('~')) throw invalid('Paths starting with ~ are not expanded: give a path relative to the default folder, or an absolute one', 'tilde');
  if (windows) {
    if (/^[\\/]{2}[?.][\\/]/.test(input)) throw invalid('Windows device paths (\\\\?\\, \\\\.\\) are not accepted', 'windows-device');
    if (/^[\\/]{2}[^\\/]/.test(input)) throw invalid('Network paths (\\\\server\\share) are not accepted: grant a local folder', 'unc');
    for (const part of parts.slice(/^[A-Za-z]:$/.test(parts[0]!) ? 1 : 0)) {
      if (part.includes(':')) throw invalid(`"${part}": a colon names an alternate data stream on Windows`, 'windows-stream');
      if (WINDOWS_RESERVED.test(part)) throw invalid(`"${part}" is a reserved device name on Windows`, 'windows-reserved');
      if (part !== '.' && part !== '..' && /[. ]$/.test(part)) throw invalid(`"${part}": Windows drops trailing dots and spaces, so this would name another file`, 'windows-trailing');
    }
  } else {
    if (/^[A-Za-z]:([\\/]|$)/.test(input)) throw invalid('A Windows drive path (C:\\…) means nothing on this system: use a / path', 'windows-drive');
    if (input.includes('\\')) throw invalid('Backslashes are not separators here and would become part of a name: use /', 'backslash');
  }
  return input;
}

/** True when the path ends in a separator, i.e. names a folder. */
export function endsWithSeparator(input: string, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'win32' ? /[\\/]$/.test(input) : input.endsWith('/');
}
