import { FerryError } from '../errors/ferry-error';
import { parseIntegration } from '../integrations/saved/schema';
import type { IntegrationTestResult } from '../integrations/saved/types';
import type { FerryDB } from './db';
import type { IntegrationRow } from './rows';

/**
 * Saved integrations. Every save is validated (src/integrations/saved/schema.ts: secrets only as
 * `{{credentials.*}}`), so nothing here can hold a secret. Pipelines copy an integration into their
 * own document, so deleting or changing one never changes a saved pipeline.
 */
export class Integrations {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  /** By name. */
  async list(): Promise<IntegrationRow[]> {
    const rows = await this.db.integrations.toArray();
    return rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  get(id: string): Promise<IntegrationRow | undefined> {
    return this.db.integrations.get(id);
  }

  /**
   * Creates or replaces the integration with `input.id`. With `create`, an existing id is refused
   * (INTEGRATION_EXISTS) rather than overwritten. A changed config drops the last test result: it
   * said something about the old one. FerryError: INTEGRATION_INVALID (every problem, with its path).
   */
  async save(input: unknown, options: { create?: boolean } = {}): Promise<IntegrationRow> {
    const integration = parseIntegration(input);
    return this.db.transaction('rw', this.db.integrations, async () => {
      const at = this.now();
      const existing = await this.db.integrations.get(integration.id);
      if (existing && options.create) {
        throw new FerryError('INTEGRATION_EXISTS', `An integration with the id "${integration.id}" exists already ("${existing.name}"). Choose another id, or edit that one.`, { id: integration.id });
      }
      const sameTarget = existing && existing.kind === integration.kind && JSON.stringify(existing.config) === JSON.stringify(integration.config);
      const row: IntegrationRow = {
        ...integration,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
        ...(sameTarget && existing.lastTest ? { lastTest: existing.lastTest } : {}),
      } as IntegrationRow;
      await this.db.integrations.put(row);
      return row;
    });
  }

  /** True when it existed. */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction('rw', this.db.integrations, async () => {
      const existed = (await this.db.integrations.get(id)) !== undefined;
      await this.db.integrations.delete(id);
      return existed;
    });
  }

  /** Keeps the result of "Test connection" on the row (a no-op when the integration was deleted meanwhile). */
  async recordTest(id: string, result: IntegrationTestResult): Promise<void> {
    await this.db.integrations.update(id, { lastTest: result });
  }
}
