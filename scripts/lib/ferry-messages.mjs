/* global chrome -- page.evaluate runs its function in the extension page, where chrome is defined */
/**
 * Ferry's runtime messages (src/messaging/contract.ts) sent from automation: from an extension page
 * Playwright controls, or from the popup a toolbar click opened. The background answers privileged
 * messages only from Ferry's own pages, so that is where they are sent from.
 */

/** Unwraps a reply; a refusal becomes an Error with the background's words and its code. */
export function unwrap(type, reply) {
  if (!reply) throw new Error(`The background did not answer "${type}".`);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.data?.code ?? reply.error.codeName });
  return reply.value;
}

/** `send(type, data)` from a Playwright page that shows one of Ferry's pages. */
export function pageMessenger(page) {
  return async (type, data) => unwrap(type, await page.evaluate(([t, d]) => chrome.runtime.sendMessage({ ferry: 1, type: t, data: d }), [type, data]));
}

/** `send(type, data)` from a popup handle (toolbar-action.mjs). */
export function popupMessenger(popup) {
  return async (type, data) => unwrap(type, await popup.evaluate(`return chrome.runtime.sendMessage(${JSON.stringify({ ferry: 1, type, data })});`));
}
