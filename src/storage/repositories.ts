import { AuditLog } from './audit';
import { IndexedDbBreakerStore } from './breaker-store';
import type { FerryDB } from './db';
import { DeadLetters } from './dead-letters';
import { EnvVars } from './env-vars';
import { Integrations } from './integrations';
import { JobQueue, type JobQueueOptions } from './job-queue';
import { Pipelines } from './pipelines';
import { Rejects } from './rejects';
import { ResponseCache } from './response-cache';
import { ResultStore } from './results';
import { Runs } from './runs';
import { Vault } from './vault';
import type { VaultKeyProvider } from './vault-keys';

export interface StorageOptions {
  now?: () => number;
  leaseMs?: JobQueueOptions['leaseMs'];
  keys?: VaultKeyProvider;
}

/** Every repository over one database and one clock: what the background wires up at start. */
export function createRepositories(db: FerryDB, options: StorageOptions = {}) {
  const now = options.now ?? Date.now;
  return {
    db,
    pipelines: new Pipelines(db, now),
    runs: new Runs(db, now),
    jobs: new JobQueue(db, { now, ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}) }),
    rejects: new Rejects(db, now),
    deadLetters: new DeadLetters(db, now),
    audit: new AuditLog(db, now),
    responseCache: new ResponseCache(db, now),
    breakerStates: new IndexedDbBreakerStore(db, now),
    results: new ResultStore(db, now),
    env: new EnvVars(db, now),
    integrations: new Integrations(db, now),
    vault: new Vault(db, { now, ...(options.keys ? { keys: options.keys } : {}) }),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
