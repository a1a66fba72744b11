/**
 * Picker sessions: which tab a picker was started on, under which id, and what it picked. Kept in
 * `chrome.storage.session` (memory only, cleared when the browser closes, not readable by content
 * scripts), because the user may take longer to pick than the service worker stays alive.
 */
import type { ExtractorConfig } from '../config';
import type { JsonRecord } from '../types';

export type PickerStatus = 'picking' | 'picked' | 'cancelled';

export interface PickerSession {
  sessionId: string;
  tabId: number;
  status: PickerStatus;
  startedAt: number;
  /** The picked rule, as an extractor config (`{ itemSelector, fields }`, also a valid pipeline page source). */
  rule?: ExtractorConfig;
  /** How many items the rule matched on the page when it was picked. */
  matched?: number;
  /** The first records as the picker showed them (the page's data: untrusted, re-checked). */
  preview?: JsonRecord[];
  pickedAt?: number;
}

/** The part of `chrome.storage.StorageArea` the store uses (a Map-backed fake in tests). */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A session older than this is gone: the picker was abandoned. */
export const PICKER_SESSION_TTL_MS = 60 * 60 * 1000;
const PREFIX = 'picker.session.';

export class PickerSessions {
  constructor(
    private readonly area: SessionArea,
    private readonly now: () => number = Date.now,
  ) {}

  async get(sessionId: string): Promise<PickerSession | undefined> {
    if (typeof sessionId !== 'string' || sessionId === '') return undefined;
    const key = PREFIX + sessionId;
    const session = (await this.area.get(key))[key] as PickerSession | undefined;
    if (!session) return undefined;
    if (this.now() - session.startedAt > PICKER_SESSION_TTL_MS) {
      await this.area.remove(key);
      return undefined;
    }
    return session;
  }

  async put(session: PickerSession): Promise<void> {
    await this.area.set({ [PREFIX + session.sessionId]: session });
  }
}
