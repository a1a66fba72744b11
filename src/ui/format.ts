/** Display formatting for status figures. Missing values render as an em dash. */

export const MISSING = '—';

/** 0.6 ms, 3.2 ms, 42 ms. */
export function formatRoundTrip(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms < 10) return `${(Math.round(ms * 10) / 10).toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** Local wall-clock time of an ISO timestamp, e.g. 14:03:21. */
export function formatClock(iso: string | undefined): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return MISSING;
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Node reports versions as v20.20.2; show them the same way whether or not the host added the v. */
export function formatNodeVersion(version: string | undefined): string {
  if (!version) return MISSING;
  return version.startsWith('v') ? version : `v${version}`;
}
