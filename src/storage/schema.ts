import type { Transaction } from 'dexie';

/**
 * The `ferry` database's schema history. Append a version to change it; never edit a released one,
 * because a user's database is upgraded from whatever version it has by running every later entry in
 * order. `stores` lists only the tables a version adds or changes (null deletes one); `upgrade`
 * rewrites existing rows when their shape changes.
 */
export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<unknown> | void;
}

export const SCHEMA: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      pipelines: 'id, name, updatedAt',
      runs: 'id, status, [pipelineId+createdAt]',
      // [status+nextAttemptAt] finds the next runnable job: pending ones when due, in-flight ones when
      // their lease (kept in nextAttemptAt) has expired. The run-scoped variant does the same per run,
      // and [runId+seq] lists a run's jobs in order.
      jobs: '++id, [runId+seq], [status+nextAttemptAt], [runId+status+nextAttemptAt]',
      rejects: '++id, runId',
      deadLetters: '++id, runId, pipelineId, createdAt',
      audit: '++id, runId, at',
      responseCache: 'key, expiresAt',
      breakerState: 'host',
      results: 'key, storedAt',
      credentials: 'name',
      keys: 'id',
    },
  },
  {
    // Values for {{env.NAME}} templates (env-vars.ts). A new table only: no existing row changes.
    version: 2,
    stores: {
      envVars: 'name',
    },
  },
  {
    // A run's pipeline, source and env values move out of its row into their own table: the row is
    // rewritten whenever a job settles (its counts), and carrying the pipeline along each time cost
    // more than the settlement itself.
    version: 3,
    stores: {
      runDefinitions: 'runId',
    },
    upgrade: async (tx) => {
      const runs = (await tx.table('runs').toArray()) as (Record<string, unknown> & { id: string; definition?: Record<string, unknown> })[];
      const defined = runs.filter((run) => run.definition !== undefined);
      await tx.table('runDefinitions').bulkPut(defined.map((run) => ({ ...run.definition, runId: run.id })));
      await tx.table('runs').bulkPut(defined.map(({ definition: _definition, ...run }) => run));
    },
  },
  {
    // The vault's passphrase lock and settings (vault-lock.ts), and OAuth connections (src/auth/):
    // new tables only. Existing credentials and the stored data key stay as they are until the user
    // sets a passphrase.
    version: 4,
    stores: {
      vaultState: 'id',
      oauthConnections: 'name',
    },
  },
  {
    // Saved integrations (integrations.ts): REST and GraphQL endpoints and database connections the
    // options page configures and pipelines copy from. A new table only: no existing row changes.
    version: 5,
    stores: {
      integrations: 'id, kind, updatedAt',
    },
  },
  {
    // API keys' rotation and validation records (src/auth/api-keys/; the key itself stays in the vault),
    // and Ferry's settings (audit retention, payload recording), key-value. New tables only.
    version: 6,
    stores: {
      apiKeys: 'name',
      settings: 'key',
    },
  },
];
