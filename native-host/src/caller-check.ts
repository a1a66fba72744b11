/**
 * Who started the host. Browsers pass the caller on the command line: Chrome (and the rest of the
 * Chromium family) the origin `chrome-extension://ID/` as the first argument (plus
 * `--parent-window=N` on Windows); Firefox the manifest path and then the extension id. The
 * manifest's allowed_origins / allowed_extensions already limit who may start the host; this check
 * catches a manifest edited by hand or a host started by another extension's manifest.
 */
import { CHROME_EXTENSION_ORIGIN, GECKO_ID } from '../../src/protocol';

export interface CallerCheck {
  /** The caller named by the arguments, or null when none was given (started by hand or by tests). */
  caller: string | null;
  allowed: boolean;
  /** Why the caller was refused; sent to it as the OriginNotAllowed message. */
  refusal: string | null;
}

export function checkCaller(args: readonly string[], extraAllowed: readonly string[] = []): CallerCheck {
  const caller = callerFromArgs(args);
  if (caller === null) return { caller, allowed: true, refusal: null };
  const allowed = new Set([CHROME_EXTENSION_ORIGIN, GECKO_ID, ...extraAllowed.map(normalize)]);
  if (allowed.has(normalize(caller))) return { caller, allowed: true, refusal: null };
  return {
    caller,
    allowed: false,
    refusal:
      `The Ferry host refused caller "${caller}": only ${CHROME_EXTENSION_ORIGIN} and ${GECKO_ID} may use it ` +
      `(for development, add the caller to FERRY_HOST_ALLOWED_ORIGINS)`,
  };
}

export function callerFromArgs(args: readonly string[]): string | null {
  const positional = args.filter((a) => !a.startsWith('--parent-window='));
  const first = positional[0];
  if (first === undefined) return null;
  if (first.startsWith('chrome-extension://')) return first;
  // Firefox: <path to the host manifest> <extension id>.
  return positional[1] ?? null;
}

/** Chrome origins end with "/"; accept configured values written with or without it. */
function normalize(origin: string): string {
  return origin.startsWith('chrome-extension://') && !origin.endsWith('/') ? `${origin}/` : origin;
}
