/**
 * Sends waiting for the user's confirmation in the preview window: the extracted records, the
 * pipeline and where they came from, kept in `storage.session` (memory only, gone when the browser
 * closes; never synced or written to disk) so a worker that stops while the user reads the preview
 * still has them. Also the pipelines whose preview the user chose to skip ("don't ask again"), in
 * `storage.local`.
 */
import type { RunSource } from '../../runs/types';

export interface PendingSend {
  id: string;
  pipelineId: string;
  records: unknown[];
  source: RunSource;
  /** What the click was on: the page, a selection, a link or an image. */
  context: string;
  warnings: string[];
  createdAt: number;
}

/** A preview left open longer is dropped: its page may have changed since. */
export const PENDING_TTL_MS = 60 * 60_000;
const KEY = 'ferry.pendingSends';
const SKIP_KEY = 'ferry.skipPreview';

type Area = Pick<chrome.storage.StorageArea, 'get' | 'set' | 'remove'>;

export class PendingSends {
  constructor(private readonly session: Area, private readonly local: Area, private readonly now: () => number = Date.now) {}

  // One key per send, so two clicks (or a click and a confirmation) never rewrite each other's.
  private key(id: string): string {
    return `${KEY}.${id}`;
  }

  async put(send: PendingSend): Promise<void> {
    await this.session.set({ [this.key(send.id)]: send });
  }

  async get(id: string): Promise<PendingSend | undefined> {
    const send = (await this.session.get(this.key(id)))[this.key(id)] as PendingSend | undefined;
    return send && this.now() - send.createdAt < PENDING_TTL_MS ? send : undefined;
  }

  /** Forgets it (after its run started, or on Cancel). */
  async remove(id: string): Promise<void> {
    await this.session.remove(this.key(id));
  }

  /** Returns it and forgets it: a cancellation. */
  async take(id: string): Promise<PendingSend | undefined> {
    const send = await this.get(id);
    await this.remove(id);
    return send;
  }

  async skipsPreview(pipelineId: string): Promise<boolean> {
    const skips = ((await this.local.get(SKIP_KEY))[SKIP_KEY] as string[] | undefined) ?? [];
    return skips.includes(pipelineId);
  }

  async setSkipPreview(pipelineId: string, skip: boolean): Promise<void> {
    const skips = new Set(((await this.local.get(SKIP_KEY))[SKIP_KEY] as string[] | undefined) ?? []);
    if (skip) skips.add(pipelineId);
    else skips.delete(pipelineId);
    await this.local.set({ [SKIP_KEY]: [...skips] });
  }
}
