/**
 * "Unlock Ferry" on the toolbar while a run waits for the locked vault: a small amber badge and a
 * title that says what to do. Cleared on unlock. (The host's badge, badge.ts, may replace it; the
 * popup's vault status says the same.)
 */
const AMBER = '#d97706';
let shown = false;

export function showVaultWaiting(waiting: boolean, action: typeof chrome.action | undefined = globalThis.chrome?.action): void {
  if (!action || waiting === shown) return;
  shown = waiting;
  void action.setBadgeText({ text: waiting ? 'LOCK' : '' });
  if (waiting) void action.setBadgeBackgroundColor({ color: AMBER });
  void action.setTitle({ title: waiting ? 'Ferry is locked: a run is waiting. Open Ferry and unlock it to continue.' : 'Ferry' });
}
