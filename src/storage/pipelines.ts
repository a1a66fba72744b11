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
