/** The background's message handlers: who may send each message, and what it does. */
import type { Routes } from '../messaging/router';
import type { NativeClient } from '../native/client';
import type { HostMonitor } from '../native/host-monitor';
import type { Params } from '../protocol/jsonrpc';
import { deadLetterTarget } from '../runs/dead-letter-target';
import { listJobSummaries } from '../storage/job-summaries';
import { deletePipeline, getPipeline, listPipelines, savePipeline } from '../runs/saved-pipelines';
import type { RunEngine } from './run-engine';
import { serializeError } from '../messaging/router';
import { startFromTab } from './start-from-tab';
import { pickerRoutes } from './picker-routes';
import type { ContextSend, ContextSendRoutes } from './context-send';
import { FerryError } from '../errors/ferry-error';
import { vaultRoutes } from './vault-routes';
import { integrationRoutes } from './integration-routes';
import { credentialResolver } from '../auth';
import { apiKeyRoutes } from './api-key-routes';

/** `contextSend`: the right-click send's routes and menu (context-send/); absent in tests that do not need them. */
export function createRoutes(client: NativeClient, monitor: HostMonitor, engine: RunEngine, contextSend?: ContextSend): Routes {
  const menusChanged = () => void contextSend?.rebuildMenus().catch(() => undefined);
  const runs = () => engine.service();
  const pipelines = async () => (await engine.repos()).pipelines;
  const env = async () => (await engine.repos()).env;
  return {
    'runs.start': {
      allow: ['extension-page'],
      handle: async (input) => {
        const runId = await (await runs()).start(input);
        engine.kick();
        return { runId };
      },
    },
    'runs.startFromTab': {
      // Never content scripts: a page must not start runs, let alone with a pipeline of its choosing.
      allow: ['extension-page'],
      handle: (input) => startFromTab({ engine, apis: { tabs: chrome.tabs, scripting: chrome.scripting } }, input),
    },
    'credentials.set': { allow: ['extension-page'], handle: async ({ name, value }) => (await engine.vault()).setCredential(name, value) },
    'credentials.list': { allow: ['extension-page'], handle: async () => (await engine.vault()).listCredentials() },
    'credentials.delete': { allow: ['extension-page'], handle: async ({ name }) => ({ deleted: await (await engine.vault()).deleteCredential(name) }) },
    'runs.get': { allow: ['extension-page'], handle: async ({ runId }) => (await (await runs()).getRun(runId)) ?? null },
    'runs.list': { allow: ['extension-page'], handle: async (filter) => (await runs()).listRuns(filter) },
    'runs.rejects': { allow: ['extension-page'], handle: async ({ runId, limit }) => (await runs()).listRejects(runId, limit) },
    'runs.audit': { allow: ['extension-page'], handle: async ({ runId, limit }) => (await runs()).listAudit(runId, limit) },
    'runs.deadLetters': { allow: ['extension-page'], handle: async (filter) => (await runs()).listDeadLetters(filter) },
    'runs.replay': {
      allow: ['extension-page'],
      handle: async (target) => {
        const result = await (await runs()).replayDeadLetters(deadLetterTarget(target, 'runs.replay'));
        engine.kick();
        return result;
      },
    },
    'runs.discardDeadLetters': { allow: ['extension-page'], handle: async (target) => (await runs()).discardDeadLetters(deadLetterTarget(target, 'runs.discardDeadLetters')) },
    'pipelines.save': { allow: ['extension-page'], handle: async (input) => (await savePipeline(await pipelines(), input).finally(menusChanged)) },
    'pipelines.list': { allow: ['extension-page'], handle: async () => listPipelines(await pipelines()) },
    'pipelines.get': { allow: ['extension-page'], handle: async ({ id }) => getPipeline(await pipelines(), id) },
    'pipelines.delete': { allow: ['extension-page'], handle: async ({ id }) => (await deletePipeline(await pipelines(), id).finally(menusChanged)) },
    ...(contextSend?.routes ?? withoutContextSend()),
    'env.set': { allow: ['extension-page'], handle: async ({ name, value }) => (await env()).set(name, value) },
    'env.list': { allow: ['extension-page'], handle: async () => (await env()).list() },
    'env.delete': { allow: ['extension-page'], handle: async ({ name }) => ({ deleted: await (await env()).delete(name) }) },
    ...pickerRoutes(),
    // Options → Integrations: saved endpoints and connections, their tests and health.
    ...integrationRoutes({ repos: () => engine.repos(), host: client, credentials: async () => credentialResolver((await engine.repos()).vault, await engine.oauth()) }),
    // Run history (options page): read-only pages of a run's jobs.
    'runs.jobs': { allow: ['extension-page'], handle: async ({ runId, offset, limit }) => listJobSummaries((await engine.repos()).db, runId, { offset, limit }) },
    // Vault lock and OAuth connections (vault-routes.ts).
    ...vaultRoutes(engine),
    // API keys and the audit log (api-key-routes.ts).
    ...apiKeyRoutes(engine),
    'host.status': { allow: ['extension-page'], handle: () => monitor.status() },
    'host.reconnect': { allow: ['extension-page'], handle: () => monitor.reconnect() },
    'host.call': {
      // Raw host access is for Ferry's own pages; content scripts never get it.
      allow: ['extension-page'],
      handle: async ({ method, params, timeoutMs }) => {
        try {
          const result = await client.callRaw(method, params as Params | undefined, { timeoutMs });
          return { ok: true, result };
        } catch (error) {
          return { ok: false, error: serializeError(error) };
        }
      },
    },
  };
}

/** The right-click send's routes when it is not wired (tests of the other routes): each says so. */
function withoutContextSend(): ContextSendRoutes {
  const refuse = () => Promise.reject(new FerryError('CONTEXT_SEND_UNAVAILABLE', 'Right-click sending is not set up in this background.'));
  return {
    'contextSend.preview': { allow: ['extension-page'], handle: refuse },
    'contextSend.confirm': { allow: ['extension-page'], handle: refuse },
    'contextSend.cancel': { allow: ['extension-page'], handle: refuse },
    'contextSend.skipPreview': { allow: ['extension-page'], handle: refuse },
  };
}
