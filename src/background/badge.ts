/**
 * The toolbar badge mirrors the native host's health, so a problem is visible without opening the
 * popup: "!" on amber when the host is not installed, on red when it went away; cleared once a call
 * gets through again. A deliberate disconnect (Reconnect) is not a problem and shows nothing.
 */
import type { NativeClient } from '../native/client';
import { ErrorCode } from '../protocol/errors';

const AMBER = '#d97706';
const RED = '#dc2626';

export function mirrorHostStateOnBadge(client: NativeClient, action: typeof chrome.action = chrome.action): void {
  client.onStateChange((state) => {
    if (state === 'connected') {
      void action.setBadgeText({ text: '' });
      void action.setTitle({ title: 'Ferry' });
      return;
    }
    const problem = client.lastDisconnect;
    if (state !== 'disconnected' || !problem) return;
    void action.setBadgeText({ text: '!' });
    void action.setBadgeBackgroundColor({ color: problem.code === ErrorCode.HostNotInstalled ? AMBER : RED });
    void action.setTitle({ title: `Ferry: ${problem.message}. ${problem.hint}` });
  });
}
