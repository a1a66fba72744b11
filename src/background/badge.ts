/**
 * The toolbar badge mirrors the native host's health, so a problem is visible without opening the
 * popup: "!" on amber when the host is not installed, on red when it went away; cleared once a call
 * gets through again. A deliberate disconnect (Reconnect) is not a problem and shows nothing. The
 * host's slot outranks the vault's LOCK and an API key's KEY (badge-slots.ts).
 */
import type { NativeClient } from '../native/client';
import { ErrorCode } from '../protocol/errors';
import { setBadgeSlot } from './badge-slots';

const AMBER = '#d97706';
const RED = '#dc2626';

export function mirrorHostStateOnBadge(client: NativeClient, action: typeof chrome.action = chrome.action): void {
  client.onStateChange((state) => {
    if (state === 'connected') return setBadgeSlot('host', undefined, action);
    const problem = client.lastDisconnect;
    if (state !== 'disconnected' || !problem) return;
    setBadgeSlot('host', { text: '!', color: problem.code === ErrorCode.HostNotInstalled ? AMBER : RED, title: `Ferry: ${problem.message}. ${problem.hint}` }, action);
  });
}
