/**
 * Which tab an extraction reads, and why Ferry may not read it. Ferry holds no host permissions:
 * it may script a tab only while `activeTab` is granted (the user opened Ferry's popup or context
 * menu on that tab, until the tab leaves that site) or where the user granted the site. Browser pages
 * and extension galleries are never scriptable. Each refusal says what the user can do next.
 */
import { FerryError } from '../errors/ferry-error';

export type TabsApi = Pick<typeof chrome.tabs, 'get' | 'query'>;
export type ScriptableTab = chrome.tabs.Tab & { id: number };

const OPEN_POPUP = "Open the page, click Ferry's toolbar button to open its popup on it (that gives Ferry access to the current tab until it leaves the site), and start the run from there";

/** The tab with `tabId`, or the active tab of the last focused window. */
export async function resolveTab(tabs: TabsApi, tabId?: number): Promise<ScriptableTab> {
  if (tabId !== undefined) {
    const tab = await tabs.get(tabId).catch(() => undefined);
    if (tab?.id === undefined) throw new FerryError('EXTRACTION_NO_TAB', `Tab ${tabId} does not exist (it may have been closed). ${OPEN_POPUP}.`, { tabId });
    return tab as ScriptableTab;
  }
  const [tab] = await tabs.query({ active: true, lastFocusedWindow: true });
  if (tab?.id === undefined) throw new FerryError('EXTRACTION_NO_TAB', `There is no active tab to extract from. ${OPEN_POPUP}.`);
  return tab as ScriptableTab;
}

const BROWSER_SCHEMES = new Set(['chrome:', 'edge:', 'brave:', 'opera:', 'vivaldi:', 'about:', 'chrome-search:', 'chrome-untrusted:', 'devtools:', 'view-source:', 'chrome-extension:', 'moz-extension:', 'extension:', 'resource:', 'data:', 'blob:', 'javascript:']);
/** Extension galleries: browsers refuse every extension's scripts there, whatever it was granted. */
const GALLERIES: readonly { host: string; path?: string }[] = [
  { host: 'chromewebstore.google.com' },
  { host: 'chrome.google.com', path: '/webstore' },
  { host: 'microsoftedge.microsoft.com', path: '/addons' },
  { host: 'addons.mozilla.org' },
];

/**
 * A refusal for a tab no extension may script, before trying. `url` is undefined when Ferry may not
 * even see it (no access to the tab): injection is attempted and its failure explained.
 */
export function refuseUnscriptable(url: string | undefined): FerryError | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol === 'chrome-extension:' || parsed.protocol === 'moz-extension:') {
    return new FerryError('EXTRACTION_TAB_NOT_SCRIPTABLE', `The tab shows an extension's page (${parsed.origin}), not a web page. Switch to the tab with the records, then open Ferry's popup there.`, { url: parsed.origin });
  }
  if (BROWSER_SCHEMES.has(parsed.protocol)) {
    return new FerryError('EXTRACTION_TAB_NOT_SCRIPTABLE', `The tab shows a browser page (${parsed.protocol}), which no extension may read. Open the web page with the records, then open Ferry's popup there.`, { url: `${parsed.protocol}` });
  }
  if (GALLERIES.some((g) => parsed.hostname === g.host && (!g.path || parsed.pathname.startsWith(g.path)))) {
    return new FerryError('EXTRACTION_TAB_NOT_SCRIPTABLE', `The browser does not let extensions read its extension gallery (${parsed.hostname}). Open another page.`, { url: parsed.origin });
  }
  return undefined;
}

/** The browser's reason for refusing `executeScript`, in words that say what to do. */
export function describeInjectionFailure(error: unknown, url: string | undefined): FerryError {
  const reason = error instanceof Error ? error.message : String(error);
  const details = { browserMessage: reason.slice(0, 500) };
  const cause = { cause: error };
  if (/gallery cannot be scripted/i.test(reason)) {
    return new FerryError('EXTRACTION_TAB_NOT_SCRIPTABLE', 'The browser does not let extensions read its extension gallery. Open another page.', details, cause);
  }
  if (/no tab with id|tab was closed|invalid tab/i.test(reason)) {
    return new FerryError('EXTRACTION_NO_TAB', `The tab was closed before Ferry could read it. ${OPEN_POPUP}.`, details, cause);
  }
  if (/error page/i.test(reason)) {
    return new FerryError('EXTRACTION_TAB_NOT_SCRIPTABLE', 'The tab shows an error page. Reload it, then open Ferry\'s popup there.', details, cause);
  }
  if (url?.startsWith('file:')) {
    return new FerryError('EXTRACTION_TAB_ACCESS_DENIED', "Ferry may not read files opened in the browser. Turn on \"Allow access to file URLs\" for Ferry on the browser's extensions page, then try again.", details, cause);
  }
  if (/cannot access|permission|must request/i.test(reason)) {
    const site = hostOf(url);
    return new FerryError('EXTRACTION_TAB_ACCESS_DENIED', `Ferry has no access to ${site ?? 'this tab'}. ${OPEN_POPUP}; or allow Ferry on the site in the browser's extension settings ("Site access").`, details, cause);
  }
  return new FerryError('EXTRACTION_FAILED', `Ferry could not run its extractor in the tab: ${reason.slice(0, 300)}`, details, cause);
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host || undefined : undefined;
  } catch {
    return undefined;
  }
}
