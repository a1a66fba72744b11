/**
 * The background's side of the element picker: start it on a tab (injecting `pickInPage`), accept
 * what it picks only from that tab's top frame and only for a live session, and hand the rule to
 * Ferry's pages (`picker.result`). The picker's messages carry a rule and a preview; they reach no
 * state but the session, and the rule is validated like any extractor config a user pastes.
 */
import { FerryError } from '../../errors/ferry-error';
import { parseExtractorConfig, type ExtractorConfig } from '../config';
import { readPageResult } from '../page-result';
import { describeInjectionFailure, refuseUnscriptable, resolveTab, type TabsApi } from '../tab-access';
import { pickInPage, stopPickerInPage, type PickerStart } from './pick-in-page';
import type { PickerSession, PickerSessions, PickerStatus } from './sessions';
import type { JsonRecord } from '../types';

export const PICKER_PREVIEW_RECORDS = 3;
const MAX_PREVIEW_BYTES = 64 * 1024;

export interface PickerApis {
  tabs: TabsApi;
  scripting: Pick<typeof chrome.scripting, 'executeScript'>;
  sessions: PickerSessions;
  newId?: () => string;
  now?: () => number;
}

export interface PickerResult {
  sessionId: string;
  tabId: number;
  status: PickerStatus;
  rule?: ExtractorConfig;
  matched?: number;
  preview?: JsonRecord[];
}

/** `picker.start`: injects the picker into the tab; the user then picks in the page. */
export async function startPicker(apis: PickerApis, request: { tabId?: number }): Promise<{ sessionId: string; tabId: number }> {
  const tabId = request?.tabId;
  if (tabId !== undefined && !(Number.isSafeInteger(tabId) && tabId >= 0)) throw new FerryError('INVALID_REQUEST', 'tabId: expected a tab id (a whole number), or leave it out for the active tab.', { field: 'tabId' });
  const tab = await resolveTab(apis.tabs, tabId);
  const refusal = refuseUnscriptable(tab.url);
  if (refusal) throw refusal;
  const sessionId = (apis.newId ?? (() => crypto.randomUUID()))();
  await apis.sessions.put({ sessionId, tabId: tab.id, status: 'picking', startedAt: (apis.now ?? Date.now)() });
  let injections: unknown;
  try {
    injections = await apis.scripting.executeScript({ target: { tabId: tab.id }, func: pickInPage, args: [{ sessionId, previewCount: PICKER_PREVIEW_RECORDS }] });
  } catch (error) {
    throw describeInjectionFailure(error, tab.url);
  }
  const started = (Array.isArray(injections) ? (injections[0] as { result?: PickerStart } | undefined)?.result : undefined) ?? { ok: false, message: 'no answer from the page' };
  if (!started.ok) throw new FerryError('PICKER_FAILED', `The picker could not start in the tab (${String(started.message).slice(0, 200)}). Reload the page and try again.`);
  return { sessionId, tabId: tab.id };
}

/** `picker.result`: where a session stands, with the rule once the user picked. */
export async function pickerResult(apis: Pick<PickerApis, 'sessions'>, request: { sessionId: string }): Promise<PickerResult | null> {
  const session = await apis.sessions.get(request?.sessionId);
  if (!session) return null;
  const { sessionId, tabId, status, rule, matched, preview } = session;
  return { sessionId, tabId, status, ...(rule ? { rule } : {}), ...(matched !== undefined ? { matched } : {}), ...(preview ? { preview } : {}) };
}

/** `picker.cancel`: removes the picker from the tab and ends the session. */
export async function cancelPicker(apis: PickerApis, request: { sessionId: string }): Promise<{ cancelled: boolean }> {
  const session = await apis.sessions.get(request?.sessionId);
  if (!session || session.status !== 'picking') return { cancelled: false };
  await apis.sessions.put({ ...session, status: 'cancelled' });
  await apis.scripting.executeScript({ target: { tabId: session.tabId }, func: stopPickerInPage }).catch(() => undefined);
  return { cancelled: true };
}

/**
 * The session a picker message may act on: a live one, started on the very tab (top frame) the
 * message comes from. Anything else is refused without saying more than that.
 */
async function senderSession(apis: Pick<PickerApis, 'sessions'>, sessionId: unknown, sender: chrome.runtime.MessageSender): Promise<PickerSession> {
  const session = typeof sessionId === 'string' ? await apis.sessions.get(sessionId) : undefined;
  if (!session || session.status !== 'picking' || sender.tab?.id !== session.tabId || (sender.frameId ?? 0) !== 0) {
    throw new FerryError('PICKER_SESSION_INVALID', 'This picker is no longer active. Start the picker again from Ferry.');
  }
  return session;
}

/** `picker.picked` (from the picker in the page): the rule is checked like a pasted extractor. */
export async function acceptPicked(apis: Pick<PickerApis, 'sessions' | 'now'>, data: { sessionId: string; rule: unknown; matched?: unknown; preview?: unknown }, sender: chrome.runtime.MessageSender): Promise<{ accepted: true }> {
  const session = await senderSession(apis, data?.sessionId, sender);
  const spec = parseExtractorConfig(data.rule); // EXTRACTOR_INVALID for anything that is not a rule
  const rule = JSON.parse(JSON.stringify(data.rule)) as ExtractorConfig; // a plain copy of what was validated
  if (spec.mode !== 'selector') throw new FerryError('EXTRACTOR_INVALID', 'The picker sends selector rules only.');
  // The preview is the page's data: re-checked like an extraction's answer, and kept small.
  const checked = readPageResult({ ok: true, mode: 'selector', records: Array.isArray(data.preview) ? data.preview.slice(0, PICKER_PREVIEW_RECORDS) : [], source: { url: '', title: '' }, warnings: [] }, { maxRecords: PICKER_PREVIEW_RECORDS, maxBytes: MAX_PREVIEW_BYTES, truncate: false });
  const matched = typeof data.matched === 'number' && Number.isSafeInteger(data.matched) && data.matched >= 0 ? data.matched : undefined;
  await apis.sessions.put({ ...session, status: 'picked', rule, ...(matched !== undefined ? { matched } : {}), preview: checked.ok ? checked.records : [], pickedAt: (apis.now ?? Date.now)() });
  return { accepted: true };
}

/** `picker.cancelled` (from the picker in the page: the user pressed Esc). */
export async function acceptCancelled(apis: Pick<PickerApis, 'sessions'>, data: { sessionId: string }, sender: chrome.runtime.MessageSender): Promise<{ accepted: true }> {
  const session = await senderSession(apis, data?.sessionId, sender);
  await apis.sessions.put({ ...session, status: 'cancelled' });
  return { accepted: true };
}
