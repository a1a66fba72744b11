import Dexie, { type EntityTable, type Table } from 'dexie';
import { FerryError } from '../errors/ferry-error';
import type {
  ApiKeyRow, AuditRow, BreakerStateRow, CredentialRow, DeadLetterRow, EnvVarRow, IntegrationRow, JobRow, KeyRow, OAuthConnectionRow, PipelineRow, RejectRow,
  ResponseCacheRow, ResultRow, RunDefinitionRow, RunRow, SettingRow, VaultStateRow,
} from './rows';
import { SCHEMA, type SchemaVersion } from './schema';

export const FERRY_DB_NAME = 'ferry';

/** The extension's IndexedDB database. Only the background writes to it; pages read through messages. */
export class FerryDB extends Dexie {
  pipelines!: EntityTable<PipelineRow, 'id'>;
  runs!: EntityTable<RunRow, 'id'>;
  runDefinitions!: EntityTable<RunDefinitionRow, 'runId'>;
  jobs!: EntityTable<JobRow, 'id'>;
  rejects!: EntityTable<RejectRow, 'id'>;
  deadLetters!: EntityTable<DeadLetterRow, 'id'>;
  audit!: EntityTable<AuditRow, 'id'>;
  responseCache!: EntityTable<ResponseCacheRow, 'key'>;
  breakerState!: EntityTable<BreakerStateRow, 'host'>;
  results!: EntityTable<ResultRow, 'key'>;
  credentials!: EntityTable<CredentialRow, 'name'>;
  keys!: Table<KeyRow, string>;
  envVars!: EntityTable<EnvVarRow, 'name'>;
  vaultState!: Table<VaultStateRow, VaultStateRow['id']>;
  oauthConnections!: EntityTable<OAuthConnectionRow, 'name'>;
  integrations!: EntityTable<IntegrationRow, 'id'>;
  apiKeys!: EntityTable<ApiKeyRow, 'name'>;
  settings!: EntityTable<SettingRow, 'key'>;

  /** `versions` is the schema history; tests pass a longer one to exercise an upgrade. */
  constructor(name: string = FERRY_DB_NAME, versions: readonly SchemaVersion[] = SCHEMA) {
    // Nothing reads this database through liveQuery (pages ask the background by message), so Dexie's
    // query cache and its change tracking (key ranges computed for every write, then broadcast to
    // other contexts) are pure cost on the run engine's hot path.
    super(name, { cache: 'disabled' });
    this.unuse({ stack: 'dbcore', name: 'Observability' });
    for (const { version, stores, upgrade } of versions) {
      const declared = this.version(version).stores(stores);
      if (upgrade) declared.upgrade(upgrade);
    }
    // The audit trail is append-only for everything but migrations: refuse updates and overwrites
    // even from code that reaches past AuditLog to the table.
    this.audit.hook('updating', function (_changes, _key, _row, tx) {
      if ((tx as unknown as { mode?: string }).mode !== 'versionchange') {
        throw new FerryError('AUDIT_APPEND_ONLY', 'Audit entries cannot be changed once written; append a new entry instead.');
      }
    });
  }
}

/**
 * Opens the database, upgrading it if needed, and turns a failure (a migration that threw, storage
 * that is unavailable) into a FerryError. A database already at a later version (the user went back
 * to an older Ferry) opens as it is: Dexie 4 reads it with the tables it finds.
 */
export async function openFerryDb(name: string = FERRY_DB_NAME, versions: readonly SchemaVersion[] = SCHEMA): Promise<FerryDB> {
  const db = new FerryDB(name, versions);
  try {
    await db.open();
  } catch (error) {
    db.close();
    throw new FerryError('STORAGE_OPEN_FAILED', `Ferry's database could not be opened or upgraded: ${(error as Error).message}`, { database: name, reason: (error as { name?: string }).name }, { cause: error });
  }
  return db;
}

let shared: Promise<FerryDB> | undefined;

/** The background's one connection, opened on first use; a failed open is retried by the next call. */
export function ferryDb(): Promise<FerryDB> {
  shared ??= openFerryDb().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
