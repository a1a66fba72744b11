import { useEffect, useRef, useState } from 'react';
import type { ExtractorConfig } from '../../../extraction/config';
import type { PreviewResponse } from '../../../extraction/preview';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { getIn, setIn, type Json } from './documentEdit';
import type { PageTab, PickerClient } from './pickerClient';
import { RecordPreview } from './RecordPreview';
import { fieldClass } from '../../fieldClass';

const POLL_MS = 400;
const input = fieldClass;

/** The source's extractor as the page should run it (undefined: automatic mode). */
export function extractorOf(document: unknown): ExtractorConfig | undefined {
  const source = getIn(document, ['source']) as { type?: string; extractor?: ExtractorConfig; itemSelector?: string; fields?: ExtractorConfig['fields'] } | undefined;
  if (source?.type !== 'page') return undefined;
  if (source.extractor) return source.extractor;
  return { itemSelector: source.itemSelector!, fields: source.fields! };
}

type State = { step: 'idle' } | { step: 'opening' } | { step: 'picking'; sessionId: string; tab: PageTab } | { step: 'previewing' };

/**
 * Where the pipeline's records come from: pick elements on a page (the picker's rule becomes the
 * source, `{"type": "page", "extractor": ...}`), and preview what the source yields on that page.
 */
export interface SourceCardProps {
  document: Json;
  onChange(document: Json): void;
  client: PickerClient;
  /** Saves the pipeline and sends the tab's records through it; absent while the pipeline has problems. */
  onSend?: (tabId: number) => Promise<void>;
}

export function SourceCard({ document, onChange, client, onSend }: SourceCardProps) {
  const [tabs, setTabs] = useState<PageTab[]>([]);
  const [tabId, setTabId] = useState<number>();
  const [url, setUrl] = useState('');
  const [state, setState] = useState<State>({ step: 'idle' });
  const [preview, setPreview] = useState<PreviewResponse>();
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    client.tabs().then((t) => {
      if (!live.current) return;
      setTabs(t);
      setTabId((current) => current ?? t[0]?.id);
    }, () => undefined);
    return () => void (live.current = false);
  }, [client]);

  const fail = (e: unknown) => {
    setError(e instanceof Error ? e.message : String(e));
    setState({ step: 'idle' });
  };

  const runPreview = async (tab: number, extractor: ExtractorConfig | undefined) => {
    setState({ step: 'previewing' });
    setError(undefined);
    try {
      const result = await client.preview(tab, extractor);
      if (live.current) setPreview(result);
      setState({ step: 'idle' });
    } catch (e) {
      fail(e);
    }
  };

  const pick = async (tab: PageTab) => {
    setError(undefined);
    const { sessionId } = await client.start(tab.id);
    await client.focus(tab.id);
    setState({ step: 'picking', sessionId, tab });
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (!live.current) return;
      const result = await client.result(sessionId);
      if (!result || result.status === 'cancelled') return setState({ step: 'idle' });
      if (result.status === 'picked' && result.rule) {
        const rule = result.rule;
        onChange(setIn(document, ['source'], { type: 'page', extractor: rule as unknown as Json }));
        return runPreview(tab.id, rule);
      }
    }
  };

  const source = getIn(document, ['source']) as { type?: string } | undefined;
  const summary = source?.type === 'page' ? 'Rules saved with this pipeline' : 'Automatic: a table with a header row, microdata or JSON-LD on the page';
  const selected = tabs.find((t) => t.id === tabId);
  return (
    <div data-testid="source-card" className="space-y-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-[13px] font-medium text-zinc-900 dark:text-zinc-100">Records come from the page</p>
        <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="source-summary">
          {summary}
        </p>
      </div>
      {state.step === 'picking' ? (
        <Callout title={`Picking on “${state.tab.title}”`} data-testid="picking">
          Point at one of the items you want on that page and click it; Ferry takes it and its siblings. Press Enter there to use the rule, Esc to cancel.{' '}
          <Button variant="ghost" onClick={() => void client.cancel(state.sessionId).then(() => setState({ step: 'idle' }))}>
            Cancel
          </Button>
        </Callout>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="space-y-1.5">
            <label htmlFor="pick-tab" className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
              An open tab Ferry may read
            </label>
            <select id="pick-tab" data-testid="pick-tab" className={input} value={tabId ?? ''} onChange={(e) => setTabId(Number(e.target.value))} disabled={tabs.length === 0}>
              {tabs.length === 0 && <option value="">None: open the page and click Ferry's button there, or use an address</option>}
              {tabs.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </select>
            <div className="flex gap-2">
              <Button variant="secondary" data-testid="pick-on-tab" disabled={!selected || state.step !== 'idle'} onClick={() => selected && void pick(selected).catch(fail)}>
                Pick elements
              </Button>
              <Button variant="ghost" data-testid="preview-on-tab" disabled={!selected || state.step !== 'idle'} busy={state.step === 'previewing'} onClick={() => selected && void runPreview(selected.id, extractorOf(document))}>
                Preview
              </Button>
              {onSend && (
                <Button
                  variant="ghost"
                  data-testid="send-from-tab"
                  disabled={!selected || state.step !== 'idle'}
                  busy={sending}
                  busyLabel="Sending…"
                  onClick={() => {
                    if (!selected) return;
                    setSending(true);
                    void onSend(selected.id).catch(fail).finally(() => live.current && setSending(false));
                  }}
                >
                  Save and send
                </Button>
              )}
            </div>
          </div>
          <div className="space-y-1.5">
            <label htmlFor="pick-url" className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
              Or a page address
            </label>
            <input id="pick-url" type="url" placeholder="https://shop.example.com/products" className={input} value={url} onChange={(e) => setUrl(e.target.value)} />
            <Button
              variant="secondary"
              disabled={!/^https?:\/\/./.test(url) || state.step !== 'idle'}
              busy={state.step === 'opening'}
              onClick={() => {
                setState({ step: 'opening' });
                // Asks for that site's access first thing in the click (see pickerClient).
                void client.openForPicking(url).then((tab) => {
                  setTabs((t) => [...t, tab]);
                  setTabId(tab.id);
                  return pick(tab);
                }).catch(fail);
              }}
            >
              Open and pick
            </Button>
          </div>
        </div>
      )}
      {error && (
        <Callout tone="danger" title="The page could not be read" data-testid="source-error">
          {error}
        </Callout>
      )}
      {preview && <RecordPreview preview={preview} />}
    </div>
  );
}
