import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetBadgeSlots, setBadgeSlot } from './badge-slots';

function fakeAction() {
  const state = { text: '', color: '', title: '' };
  const action = {
    setBadgeText: vi.fn(async ({ text }: { text: string }) => void (state.text = text)),
    setBadgeBackgroundColor: vi.fn(async ({ color }: { color: string }) => void (state.color = color)),
    setTitle: vi.fn(async ({ title }: { title: string }) => void (state.title = title)),
  };
  return { state, action: action as unknown as typeof chrome.action };
}

const KEY = { text: 'KEY', color: '#d97706', title: 'rotate' };
const LOCK = { text: 'LOCK', color: '#d97706', title: 'locked' };
const HOST = { text: '!', color: '#dc2626', title: 'host gone' };

describe('the toolbar badge\'s slots', () => {
  beforeEach(() => resetBadgeSlots());

  it('shows the most urgent slot set: host, then vault, then API key; clearing one reveals the next', () => {
    const { state, action } = fakeAction();
    setBadgeSlot('apiKey', KEY, action);
    expect(state).toEqual(KEY);
    setBadgeSlot('vault', LOCK, action);
    expect(state).toEqual(LOCK);
    setBadgeSlot('host', HOST, action);
    expect(state).toEqual(HOST);
    setBadgeSlot('apiKey', undefined, action); // a lower slot changing does not disturb the shown one
    expect(state).toEqual(HOST);
    setBadgeSlot('host', undefined, action);
    expect(state).toEqual(LOCK);
    setBadgeSlot('vault', undefined, action);
    expect(state).toEqual({ text: '', color: LOCK.color, title: 'Ferry' });
  });

  it('does not call the browser again when nothing visible changes', () => {
    const { action } = fakeAction();
    setBadgeSlot('apiKey', KEY, action);
    setBadgeSlot('apiKey', { ...KEY }, action);
    setBadgeSlot('host', undefined, action);
    expect(action.setBadgeText).toHaveBeenCalledTimes(1);
  });
});
