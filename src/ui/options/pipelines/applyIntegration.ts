/**
 * "Destination integration" in the pipeline editor: copies a saved integration into the delivery
 * step (URL or endpoint, headers and auth; or the database connection). A copy, not a link: the
 * pipeline stays self-contained and exportable, and later edits to the integration do not change it.
 */
import type { IntegrationRow } from '../../../storage/rows';
import { deliveryBlock, deliveryIndex, getIn, setIn, type Json } from './documentEdit';

type Block = NonNullable<ReturnType<typeof deliveryBlock>>;

/** Which integration kind a delivery block takes. */
export function integrationKindFor(block: Block | undefined): IntegrationRow['kind'] | undefined {
  return block === 'http' ? 'rest' : block === 'graphqlConfig' ? 'graphql' : block === 'database' ? 'database' : undefined;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The integration the step was filled from, recognised by what was copied (the document keeps no link). */
export function matchingIntegration(document: Json, integrations: readonly IntegrationRow[]): IntegrationRow | undefined {
  const block = deliveryBlock(document);
  const at = ['steps', deliveryIndex(document), block ?? ''];
  const kind = integrationKindFor(block);
  return integrations.find((row) => {
    if (row.kind !== kind) return false;
    if (row.kind === 'rest') {
      const url = getIn(document, [...at, 'url']);
      const base = trimSlash(row.config.baseUrl);
      return typeof url === 'string' && (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`));
    }
    if (row.kind === 'graphql') return getIn(document, [...at, 'endpoint']) === row.config.endpoint;
    return JSON.stringify(getIn(document, [...at, 'connectionConfig'])) === JSON.stringify(row.config.connectionConfig);
  });
}

/** The part of `url` after its base: after `previousBase` when given, else after a leading template or the origin. */
export function pathOf(url: string, previousBase: string | undefined, newBase: string): string {
  let path: string;
  if (previousBase && url.startsWith(trimSlash(previousBase))) path = url.slice(trimSlash(previousBase).length);
  else if (url.startsWith('{{')) path = url.slice(url.indexOf('}}') + 2);
  else {
    try {
      const u = new URL(url);
      path = `${u.pathname === '/' ? '' : u.pathname}${u.search}`;
    } catch {
      path = '';
    }
    // https://old.example/v1/items onto https://new.example/v1: keep /items, not /v1/items.
    try {
      const basePath = trimSlash(new URL(newBase).pathname);
      if (basePath && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length);
    } catch {
      // a templated base: keep the whole path
    }
  }
  return path;
}

export function applyIntegration(document: Json, integration: IntegrationRow, integrations: readonly IntegrationRow[]): Json {
  const block = deliveryBlock(document);
  const step = deliveryIndex(document);
  if (!block || step < 0) return document;
  const at = (...rest: string[]) => ['steps', step, block, ...rest];
  const previous = matchingIntegration(document, integrations);
  let doc = document;
  if (integration.kind === 'database') {
    doc = setIn(doc, at('connection'), undefined);
    doc = setIn(doc, at('connectionConfig'), structuredClone(integration.config.connectionConfig) as Json);
    return setIn(doc, at('connectionPool'), integration.config.connectionPool ? (structuredClone(integration.config.connectionPool) as Json) : undefined);
  }
  if (integration.kind === 'rest') {
    const url = getIn(document, at('url'));
    const path = pathOf(typeof url === 'string' ? url : '', previous?.kind === 'rest' ? previous.config.baseUrl : undefined, integration.config.baseUrl);
    doc = setIn(doc, at('url'), `${trimSlash(integration.config.baseUrl)}${path && !path.startsWith('/') && !path.startsWith('?') ? '/' : ''}${path}`);
  } else {
    doc = setIn(doc, at('endpoint'), integration.config.endpoint);
  }
  // Headers: the step's own stay, the previous integration's go, this one's win.
  const current = { ...((getIn(document, at('headers')) as Record<string, Json> | undefined) ?? {}) };
  if (previous && previous.kind !== 'database') for (const name of Object.keys(previous.config.headers ?? {})) delete current[name];
  const headers = { ...current, ...(integration.config.headers ?? {}) };
  doc = setIn(doc, at('headers'), Object.keys(headers).length > 0 ? headers : undefined);
  return setIn(doc, at('auth'), integration.config.auth ? (structuredClone(integration.config.auth) as Json) : undefined);
}
