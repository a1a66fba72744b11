/** The bench:http and bench:db table: like bench:rpc's, with the raw baseline as its own column. */
import { fmt } from './report.mjs';

/**
 * @param {Array<{ label: string, ferry: string, raw: string, ratio: number | null, target: string, met: boolean | null }>} rows
 * @param {string} [baseline] the baseline column's heading
 */
export function renderHttpTable(rows, baseline = 'raw fetch') {
  const header = ['metric', 'Ferry', baseline, 'ratio', 'target', 'met?'];
  const lines = rows.map((r) => [r.label, r.ferry, r.raw, r.ratio === null ? '—' : `${fmt(r.ratio, 2)}x`, r.target, r.met === null ? '—' : r.met ? 'yes' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  return [row(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(row)].join('\n');
}

export { fmt };
