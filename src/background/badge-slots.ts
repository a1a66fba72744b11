/**
 * One toolbar badge, several owners: the host's health (`host`, "!"), a run waiting on the locked
 * vault (`vault`, "LOCK") and an API key due for rotation (`apiKey`, "KEY"). Each owner sets or clears
 * its own slot; the badge shows the most urgent one set, so clearing one reveals the next instead of
 * wiping the badge. Order: host, vault, apiKey.
 */
export type BadgeSlot = 'host' | 'vault' | 'apiKey';

export interface BadgeState {
  text: string;
  color: string;
  title: string;
}

const PRIORITY: readonly BadgeSlot[] = ['host', 'vault', 'apiKey'];
const slots = new Map<BadgeSlot, BadgeState>();
let shown: string | undefined;

/** Sets (`state`) or clears (`undefined`) a slot and shows the most urgent one. */
export function setBadgeSlot(slot: BadgeSlot, state: BadgeState | undefined, action: typeof chrome.action | undefined = globalThis.chrome?.action): void {
  if (state) slots.set(slot, state);
  else slots.delete(slot);
  if (!action) return;
  const top = PRIORITY.map((s) => slots.get(s)).find((s) => s !== undefined);
  const key = top ? `${top.text}|${top.color}|${top.title}` : '';
  if (key === shown) return;
  shown = key;
  void action.setBadgeText({ text: top?.text ?? '' });
  if (top) void action.setBadgeBackgroundColor({ color: top.color });
  void action.setTitle({ title: top?.title ?? 'Ferry' });
}

/** The slot's current state (tests). */
export function badgeSlot(slot: BadgeSlot): BadgeState | undefined {
  return slots.get(slot);
}

/** Forgets every slot (tests). */
export function resetBadgeSlots(): void {
  slots.clear();
  shown = undefined;
}
