/**
 * "Unlock Ferry" on the toolbar while a run waits for the locked vault: a small amber badge and a
 * title that says what to do. Cleared on unlock. (A host problem outranks it, see badge-slots.ts;
 * the popup's vault status says the same.)
 */
import { setBadgeSlot } from './badge-slots';

const AMBER = '#d97706';

export function showVaultWaiting(waiting: boolean, action: typeof chrome.action | undefined = globalThis.chrome?.action): void {
  setBadgeSlot('vault', waiting ? { text: 'LOCK', color: AMBER, title: 'Ferry is locked: a run is waiting. Open Ferry and unlock it to continue.' } : undefined, action);
}
