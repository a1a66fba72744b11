/** What the Integrations section needs from the background and the browser; a prop, so tests pass a fake. */
import type { IntegrationHealth, IntegrationInput, IntegrationTestResult } from '../../../integrations/saved/types';
import type { IntegrationRow } from '../../../storage/rows';
import { backgroundSend, type BackgroundSend } from '../../background';

export interface RootListing {
  /** Entries found (at most 1: the test asks for one). */
  entries: number;
}

export interface IntegrationsClient {
  send: BackgroundSend;
  list(): Promise<IntegrationRow[]>;
  save(integration: IntegrationInput, create: boolean): Promise<IntegrationRow>;
  remove(id: string): Promise<boolean>;
  test(id: string): Promise<IntegrationTestResult>;
  health(): Promise<IntegrationHealth[]>;
  /** Names in the vault, to offer `{{credentials.name}}` references (never values). */
  credentialNames(): Promise<string[]>;
  env(): Promise<Record<string, string>>;
  /** Lists a granted folder through the host (`fs.listDirectory`, limit 1); throws the host's message. */
  listRoot(path: string): Promise<RootListing>;
  /** Which of `origins` Ferry may already reach without CORS. */
  allowedOrigins(origins: string[]): Promise<string[]>;
  /** Must be called inside the click: the browser refuses a permission request made after an await. */
  requestOrigins(origins: string[]): Promise<boolean>;
}

export function backgroundIntegrationsClient(send: BackgroundSend = backgroundSend): IntegrationsClient {
  return {
    send,
    list: () => send('integrations.list', undefined),
    save: (integration, create) => send('integrations.save', { integration, create }),
    remove: async (id) => (await send('integrations.delete', { id })).deleted,
    test: (id) => send('integrations.test', { id }),
    health: () => send('integrations.health', undefined),
    credentialNames: async () => (await send('credentials.list', undefined)).map((c) => c.name),
    env: async () => Object.fromEntries((await send('env.list', undefined)).map((row) => [row.name, row.value])),
    listRoot: async (path) => {
      const outcome = await send('host.call', { method: 'fs.listDirectory', params: { path, limit: 1 }, timeoutMs: 10_000 });
      if (!outcome.ok) throw new Error(outcome.error.message);
      return { entries: (outcome.result as { entries: unknown[] }).entries.length };
    },
    allowedOrigins: async (origins) => {
      const allowed: string[] = [];
      for (const origin of origins) if (await chrome.permissions.contains({ origins: [origin] })) allowed.push(origin);
      return allowed;
    },
    requestOrigins: (origins) => chrome.permissions.request({ origins }),
  };
}

const ENV = /\{\{\s*env\.([A-Za-z0-9_]+)\s*(?:\|[^}]*)?\}\}/g;

/** The origin pattern to ask host access for (`https://api.example.com/*`), env resolved; undefined when it cannot be known. */
export function originPattern(url: string, env: Readonly<Record<string, string>>): string | undefined {
  const resolved = url.replace(ENV, (whole, name: string) => env[name] ?? whole);
  try {
    const u = new URL(resolved);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return undefined;
  }
}
