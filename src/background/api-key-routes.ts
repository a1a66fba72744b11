/**
 * API keys' and the audit log's message handlers, for Ferry's own pages only. No route returns a
 * key's value; the audit routes read, export and configure, and none changes an entry (only the
 * retention prune removes them).
 */
import { exportAuditJsonl } from '../storage/audit-export';
import type { Routes } from '../messaging/router';
import { pruneAudit } from './api-key-reminders';
import type { RunEngine } from './run-engine';

type ApiKeyRouteType =
  | 'apiKeys.save' | 'apiKeys.list' | 'apiKeys.validate' | 'apiKeys.rotate' | 'apiKeys.delete'
  | 'audit.settings' | 'audit.setSettings' | 'audit.export';

export function apiKeyRoutes(engine: RunEngine): Pick<Routes, ApiKeyRouteType> {
  const keys = () => engine.apiKeys();
  const page = ['extension-page'] as const;
  return {
    'apiKeys.save': { allow: page, handle: async (input) => (await keys()).save(input) },
    'apiKeys.list': { allow: page, handle: async () => (await keys()).list() },
    'apiKeys.validate': { allow: page, handle: async ({ name }) => (await keys()).validate(name) },
    'apiKeys.rotate': { allow: page, handle: async ({ name, newValue }) => (await keys()).rotate(name, newValue) },
    'apiKeys.delete': { allow: page, handle: async ({ name }) => (await keys()).delete(name) },
    'audit.settings': { allow: page, handle: () => engine.auditSettings() },
    'audit.setSettings': {
      allow: page,
      handle: async (change) => {
        const settings = await engine.setAuditSettings(change);
        // A shorter retention applies now, not at the next daily sweep.
        if (change.retentionDays !== undefined) {
          const repos = await engine.repos();
          await pruneAudit({ db: repos.db, audit: repos.audit });
        }
        return settings;
      },
    },
    'audit.export': { allow: page, handle: async (filter) => exportAuditJsonl((await engine.repos()).db, filter ?? {}) },
  };
}
