import { useEffect, useState } from 'react';
import type { AuditSettings } from '../../../storage/audit-settings';
import { errorMessage, type BackgroundSend } from '../../background';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { Skeleton } from '../../Skeleton';
import { downloadText } from './download';

const RETENTION_CHOICES = [7, 30, 90, 365];

/**
 * The audit log's settings and export: how long entries are kept (older ones are pruned daily),
 * whether request bodies are recorded (off by default; credentials are scrubbed from them when on),
 * and the whole log as JSON Lines.
 */
export function AuditLogCard({ send, download = downloadText }: { send: BackgroundSend; download?: typeof downloadText }) {
  const [settings, setSettings] = useState<AuditSettings>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [exporting, setExporting] = useState(false);
  useEffect(() => {
    send('audit.settings', undefined).then(setSettings, (e: unknown) => setProblem(errorMessage(e)));
  }, [send]);

  const change = async (patch: Partial<AuditSettings>) => {
    setProblem(undefined);
    try {
      setSettings(await send('audit.setSettings', patch));
      setNotice(patch.retentionDays !== undefined ? `Entries older than ${patch.retentionDays} days are removed.` : patch.recordBodies ? 'Request bodies are recorded from now on, credentials removed.' : 'Request bodies are no longer recorded.');
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  const exportAll = async () => {
    setExporting(true);
    setProblem(undefined);
    try {
      const result = await send('audit.export', undefined);
      download(result.fileName, result.jsonl);
      setNotice(`Exported ${result.count} ${result.count === 1 ? 'entry' : 'entries'} as JSON Lines.`);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card title="Audit log" description="One entry per request or host call a pipeline makes: when, which run, what, where, the outcome and how long it took. Never a credential." data-testid="audit-log">
      {problem && <Callout tone="danger" title="The audit log’s settings could not be changed" className="mb-3">{problem}</Callout>}
      {notice && <Callout title={notice} className="mb-3" data-testid="audit-notice" />}
      {!settings ? (
        <Skeleton className="h-16 w-full" />
      ) : (
        <div className="space-y-3 text-[13px]">
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor="audit-retention" className="font-medium text-zinc-800 dark:text-zinc-200">
              Keep entries for
            </label>
            <select
              id="audit-retention"
              data-testid="audit-retention"
              value={settings.retentionDays}
              onChange={(e) => void change({ retentionDays: Number(e.target.value) })}
              className="h-8 rounded-md bg-white px-2 text-sm shadow-sm ring-1 ring-zinc-300 ring-inset dark:bg-zinc-800 dark:ring-zinc-700"
            >
              {[...new Set([...RETENTION_CHOICES, settings.retentionDays])].sort((a, b) => a - b).map((days) => (
                <option key={days} value={days}>
                  {days} days
                </option>
              ))}
            </select>
          </div>
          <label className="flex items-start gap-2 text-zinc-800 dark:text-zinc-200">
            <input type="checkbox" data-testid="audit-bodies" className="mt-0.5 size-4 accent-sky-600" checked={settings.recordBodies} onChange={(e) => void change({ recordBodies: e.target.checked })} />
            <span>
              Record request bodies
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">Off by default: bodies are the records themselves. When on, credentials are removed from them and each is cut at 64 KiB.</span>
            </span>
          </label>
          <Button variant="secondary" data-testid="audit-export" busy={exporting} busyLabel="Exporting…" onClick={() => void exportAll()}>
            Export as JSON Lines
          </Button>
        </div>
      )}
    </Card>
  );
}
