/**
 * Right-click "Extract and send": the menu, the click, the preview window's messages and the
 * notification afterwards, wired to the browser. Listeners are registered synchronously (a stopped
 * worker woken by a menu click must find its listener).
 */
import { FerryError, isFerryError } from '../../errors/ferry-error';
import type { Routes } from '../../messaging/router';
import type { RunEngine } from '../run-engine';
import { handleMenuClick, type ClickedTab, type ClickOutcome, type MenuClick } from './handle-click';
import { rebuildMenus } from './menus';
import { PendingSends } from './pending-sends';
import { sendPreview } from './preview-data';
import { notifyWhenFinished } from './run-notifier';

export type ContextSendRoutes = Pick<Routes, 'contextSend.preview' | 'contextSend.confirm' | 'contextSend.cancel' | 'contextSend.skipPreview'>;

export interface ContextSend {
  /** What a click on a menu entry does (tests call it: automation cannot click native menus). */
  click(click: MenuClick, tab?: ClickedTab): Promise<ClickOutcome>;
  /** Rebuilds the menu from the saved pipelines (after a save or delete, at start-up). */
  rebuildMenus(): Promise<void>;
  routes: ContextSendRoutes;
}

const PREVIEW_SIZE = { width: 720, height: 640 };

export function createContextSend(engine: RunEngine): ContextSend {
  const pending = new PendingSends(chrome.storage.session, chrome.storage.local);
  const notify = async (id: string, { title, message }: { title: string; message: string }) =>
    void (await chrome.notifications.create(id, { type: 'basic', iconUrl: chrome.runtime.getURL('icon/128.png'), title, message }));
  const watchRun = (runId: string, name: string) =>
    void notifyWhenFinished({ getRun: async (id) => (await engine.service()).getRun(id).then((r) => r ?? null), notify }, runId, name).catch(() => undefined);
  const deps = {
    engine,
    apis: { tabs: chrome.tabs, scripting: chrome.scripting },
    pending,
    watchRun,
    openPreview: async (id: string) => void (await chrome.windows.create({ url: chrome.runtime.getURL(`/preview.html#${id}`), type: 'popup', ...PREVIEW_SIZE })),
  };
  const click = (info: MenuClick, tab?: ClickedTab) => handleMenuClick(deps, info, tab);
  const rebuild = async () => rebuildMenus(chrome.contextMenus, await (await engine.pipelines()).list());

  chrome.contextMenus.onClicked.addListener((info, tab) => {
    void click(info, tab).catch((error: unknown) => {
      // No page of Ferry's is open to show it: the notification is where the user learns why.
      const message = isFerryError(error) ? error.message : 'Ferry could not read this page.';
      void notify(`ferry-send-failed:${Date.now()}`, { title: 'Nothing was sent', message });
    });
  });
  chrome.runtime.onInstalled.addListener(() => void rebuild().catch(() => undefined));
  chrome.runtime.onStartup.addListener(() => void rebuild().catch(() => undefined));

  const routes: ContextSendRoutes = {
    'contextSend.preview': { allow: ['extension-page'], handle: ({ id }) => sendPreview({ engine, pending }, id) },
    'contextSend.confirm': {
      allow: ['extension-page'],
      handle: async ({ id, dontAskAgain }) => {
        const send = await pending.get(id);
        if (!send) throw new FerryError('SEND_NOT_FOUND', 'This preview has expired or was already answered. Send the page again from the right-click menu.', { id });
        // The send's id is the run's: a second confirmation (a double click) finds the same run, and
        // the records are forgotten only once the run holds them, so a failed start loses nothing.
        const runId = await (await engine.service()).start({ pipelineId: send.pipelineId, records: send.records, source: send.source, runId: send.id });
        await pending.remove(id);
        if (dontAskAgain === true) await pending.setSkipPreview(send.pipelineId, true);
        engine.kick();
        const row = await (await engine.pipelines()).get(send.pipelineId);
        watchRun(runId, row?.name ?? send.pipelineId);
        return { runId };
      },
    },
    'contextSend.cancel': { allow: ['extension-page'], handle: async ({ id }) => ({ cancelled: (await pending.take(id)) !== undefined }) },
    'contextSend.skipPreview': { allow: ['extension-page'], handle: async ({ pipelineId, skip }) => (await pending.setSkipPreview(pipelineId, skip), { pipelineId, skip }) },
  };
  return { click, rebuildMenus: rebuild, routes };
}
