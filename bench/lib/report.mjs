/** Renders the benchmark's results as an aligned text table. */

const fmt = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/**
 * @param {Array<{ label: string, ferry: string, bare: string, ratio: number, target: string, met: boolean | null }>} rows
 */
export function renderTable(rows) {
  const header = ['metric', 'Ferry', 'bare echo host', 'ratio', 'target', 'met?'];
  const lines = rows.map((r) => [r.label, r.ferry, r.bare, `${fmt(r.ratio, 2)}x`, r.target, r.met === null ? '—' : r.met ? 'yes' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  return [row(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(row)].join('\n');
}

export { fmt };
