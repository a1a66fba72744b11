import { useCallback, useMemo, useRef, type UIEvent } from 'react';
import { cx } from '../../cx';
import type { PlacedIssue } from './pipelineCheck';

export interface ConfigEditorProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  issues: readonly PlacedIssue[];
}

/**
 * The pipeline's text, with line numbers and every problem marked on its line (a red number, the
 * line tinted); the messages themselves are listed under it (IssueList), each a button that moves
 * the cursor to its line. A plain textarea: the browser's own editing, undo and accessibility.
 */
export function ConfigEditor({ id, label, value, onChange, issues }: ConfigEditorProps) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = useMemo(() => value.split('\n').length, [value]);
  const marked = useMemo(() => new Set(issues.map((i) => i.line)), [issues]);
  const syncScroll = useCallback((event: UIEvent<HTMLTextAreaElement>) => {
    if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
  }, []);
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-300 bg-white focus-within:border-sky-500 focus-within:ring-2 focus-within:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <div className="flex h-[28rem] font-mono text-[12.5px] leading-5">
        <div ref={gutter} aria-hidden="true" className="w-12 shrink-0 overflow-hidden border-r border-zinc-200 bg-zinc-50 py-2 text-right text-zinc-400 select-none dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-500">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} data-issue-line={marked.has(i + 1) || undefined} className={cx('pr-2', marked.has(i + 1) && 'bg-red-100 font-semibold text-red-700 dark:bg-red-500/20 dark:text-red-300')}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          id={id}
          data-testid="pipeline-text"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onScroll={syncScroll}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          aria-invalid={issues.length > 0}
          aria-describedby={issues.length > 0 ? `${id}-issues` : undefined}
          className="min-w-0 flex-1 resize-none bg-transparent px-3 py-2 whitespace-pre text-zinc-900 outline-none dark:text-zinc-100"
        />
      </div>
    </div>
  );
}

/** Moves the cursor to the start of `line` in the textarea with `id` and scrolls it into view. */
export function goToLine(id: string, line: number): void {
  const area = document.getElementById(id) as HTMLTextAreaElement | null;
  if (!area) return;
  const lines = area.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  area.focus();
  area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  area.scrollTop = Math.max(0, (line - 4) * 20);
}

export function IssueList({ id, issues }: { id: string; issues: readonly PlacedIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <div id={`${id}-issues`} role="alert" data-testid="pipeline-issues" className="rounded-lg border border-red-200 bg-red-50 p-3 text-[13px] dark:border-red-500/30 dark:bg-red-500/10">
      <p className="font-medium text-red-900 dark:text-red-100">
        {issues.length === 1 ? 'One problem to fix before saving' : `${issues.length} problems to fix before saving`}
      </p>
      <ul className="mt-2 space-y-1">
        {issues.map((issue, i) => (
          <li key={i}>
            <button
              type="button"
              onClick={() => goToLine(id, issue.line)}
              className="w-full rounded px-1 py-0.5 text-left text-red-900 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-red-600 dark:text-red-100 dark:hover:bg-red-500/20"
            >
              <span className="mr-2 font-mono text-xs text-red-700 dark:text-red-300">line {issue.line}</span>
              {issue.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
