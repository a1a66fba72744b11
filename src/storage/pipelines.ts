import type { FerryDB } from './db';
import type { PipelineRow } from './rows';

/** Saved pipeline documents. Validation and migration of `document` belong to src/pipeline. */
export class Pipelines {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  async save(input: { id: string; name: string; document: unknown; text?: string }): Promise<PipelineRow> {
    const row: PipelineRow = { ...input, updatedAt: this.now() };
    await this.db.pipelines.put(row);
    return row;
  }

  /**
   * Saves a new pipeline, or answers null when one with its id is already saved (the check and the
   * write are one step, so two saves at once cannot both take an id).
   */
  async create(input: { id: string; name: string; document: unknown; text?: string }): Promise<PipelineRow | null> {
    const row: PipelineRow = { ...input, updatedAt: this.now() };
    try {
      await this.db.pipelines.add(row);
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'ConstraintError') return null; // Dexie's name for a key already taken
      throw error;
    }
    return row;
  }

  /** Every saved pipeline's id. */
  async ids(): Promise<Set<string>> {
    return new Set((await this.db.pipelines.toCollection().primaryKeys()) as string[]);
  }

  get(id: string): Promise<PipelineRow | undefined> {
    return this.db.pipelines.get(id);
  }

  /** By name. */
  list(): Promise<PipelineRow[]> {
    return this.db.pipelines.orderBy('name').toArray();
  }

  /** True when it existed. */
  delete(id: string): Promise<boolean> {
    return this.db.transaction('rw', this.db.pipelines, async () => {
      const existed = (await this.db.pipelines.get(id)) !== undefined;
      await this.db.pipelines.delete(id);
      return existed;
    });
  }
}
