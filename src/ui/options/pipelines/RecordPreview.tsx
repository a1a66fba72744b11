import type { PreviewResponse } from '../../../extraction/preview';

/** The first records a rule yields, as a table (columns: every field seen), with the full count. */
export function RecordPreview({ preview }: { preview: PreviewResponse }) {
  const columns = [...new Set(preview.records.flatMap((r) => Object.keys(r)))].slice(0, 12);
  const cell = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));
  return (
    <div data-testid="record-preview" className="space-y-2">
      <p className="text-[13px] text-zinc-700 dark:text-zinc-300">
        <span data-testid="preview-count" className="font-semibold text-zinc-900 dark:text-zinc-100">
          {preview.count.toLocaleString()}
        </span>{' '}
        {preview.count === 1 ? 'record' : 'records'} on “{preview.source.title || preview.source.url}”
        {preview.records.length < preview.count && `, the first ${preview.records.length} shown`}.
      </p>
      {preview.warnings.map((w) => (
        <p key={w} className="text-xs text-amber-800 dark:text-amber-300">
          {w}
        </p>
      ))}
      {preview.records.length > 0 && (
        <div className="max-h-72 overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="min-w-full text-left text-xs">
            <thead className="sticky top-0 bg-zinc-50 dark:bg-zinc-900">
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col" className="px-2 py-1.5 font-medium whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {preview.records.map((record, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c} className="max-w-[16rem] truncate px-2 py-1 text-zinc-800 dark:text-zinc-200" title={cell(record[c])}>
                      {cell(record[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
