/**
 * Templates inside a whole JSON value (a mapping, a request body, headers, GraphQL variables): every
 * string that contains `{{` is compiled once, keys stay literal. Rendering builds a fresh value each
 * time, so records never share (and never mutate each other's) objects.
 */
import type { JsonValue } from '../../protocol/jsonrpc';
import type { CompiledTemplate, PathSegment } from './ast';
import { resolveCredentials, type CredentialResolver } from './credentials';
import { templateEnvReferences, type EnvReference } from './env-refs';
import { compileTemplate, hasTemplate } from './parse';
import { renderTemplate, type RenderOptions, type TemplateScope } from './render';
import { compileUrlTemplate, renderUrl, type CompiledUrl } from './url';

type Node =
  | { readonly t: 'const'; readonly value: JsonValue }
  | { readonly t: 'template'; readonly template: CompiledTemplate }
  | { readonly t: 'url'; readonly url: CompiledUrl }
  | { readonly t: 'object'; readonly entries: readonly (readonly [string, Node])[] }
  | { readonly t: 'array'; readonly items: readonly Node[] };

export interface CompiledValue {
  /** @internal The compiled tree. */
  readonly node: Node;
  /** Every credential name the value reads. Rendering reads all of them, so this is also what it used. */
  readonly credentials: ReadonlySet<string>;
  /** Where in the rendered value a credential ends up (e.g. `["headers", "Authorization"]`): redact these before logging. */
  readonly secretPaths: readonly (readonly PathSegment[])[];
  /** Every `{{env.NAME}}` placeholder in the value, with where it is: what a run must have values for. */
  readonly env: readonly EnvReference[];
  readonly hasTemplates: boolean;
  /** The URL templates among the value's top-level keys (`url`, `endpoint`), by key: what callers check each record against. */
  readonly urls: ReadonlyMap<string, CompiledUrl>;
}

export interface CompileValueOptions {
  /** Top-level keys whose text is a URL: rendered by template/url.ts, which encodes values by where they sit. */
  urlKeys?: readonly string[];
}

export interface RenderedValue {
  value: unknown;
  /** Names of the credentials whose values are inside `value`; a log of it must redact them. */
  credentialsUsed: ReadonlySet<string>;
}

/** Compiles every template string in `value`; `location` prefixes the paths in error messages (`steps[1].http.body`). */
export function compileValue(value: JsonValue, location = '', options: CompileValueOptions = {}): CompiledValue {
  const credentials = new Set<string>();
  const urls = new Map<string, CompiledUrl>();
  const urlKeys = new Set(options.urlKeys ?? []);
  const secretPaths: PathSegment[][] = [];
  const env: EnvReference[] = [];
  let hasTemplates = false;
  const walk = (v: JsonValue, path: PathSegment[]): Node => {
    if (typeof v === 'string') {
      if (!hasTemplate(v)) return { t: 'const', value: v };
      const isUrl = path.length === 1 && typeof path[0] === 'string' && urlKeys.has(path[0]);
      const url = isUrl ? compileUrlTemplate(v, joinPath(location, path)) : undefined;
      const template = url ? url.template : compileTemplate(v, joinPath(location, path));
      hasTemplates = true;
      if (template.credentials.length > 0) {
        template.credentials.forEach((c) => credentials.add(c));
        secretPaths.push(path);
      }
      env.push(...templateEnvReferences(template));
      if (url) {
        urls.set(path[0] as string, url);
        return { t: 'url', url };
      }
      return { t: 'template', template };
    }
    if (Array.isArray(v)) return { t: 'array', items: v.map((item, i) => walk(item, [...path, i])) };
    if (v !== null && typeof v === 'object') return { t: 'object', entries: Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])] as const) };
    return { t: 'const', value: v };
  };
  const node = walk(value, []);
  return { node, credentials, secretPaths, env, hasTemplates, urls };
}

/** Renders synchronously; credentials must already be resolved into `options.credentials`. */
export function renderValue(compiled: CompiledValue, scope: TemplateScope, options: RenderOptions = {}): RenderedValue {
  // One clock reading per value, so every `now()` in one record agrees.
  const opts = options.now === undefined && compiled.hasTemplates ? { ...options, now: Date.now() } : options;
  return { value: renderNode(compiled.node, scope, opts), credentialsUsed: compiled.credentials };
}

/** Resolves the credentials the value needs through the caller's resolver, then renders. Background only. */
export async function renderValueWithCredentials(
  compiled: CompiledValue,
  scope: TemplateScope,
  options: RenderOptions & { resolveCredential: CredentialResolver },
): Promise<RenderedValue> {
  const { resolveCredential, ...rest } = options;
  const credentials = compiled.credentials.size > 0 ? await resolveCredentials(compiled.credentials, resolveCredential) : rest.credentials;
  return renderValue(compiled, scope, credentials ? { ...rest, credentials } : rest);
}

function renderNode(node: Node, scope: TemplateScope, options: RenderOptions): unknown {
  switch (node.t) {
    case 'const':
      return node.value;
    case 'template':
      return renderTemplate(node.template, scope, options);
    case 'url':
      return renderUrl(node.url, scope, options);
    case 'array':
      return node.items.map((item) => renderNode(item, scope, options));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of node.entries) {
        if (key === '__proto__') Object.defineProperty(out, key, { value: renderNode(child, scope, options), enumerable: true, writable: true, configurable: true });
        else out[key] = renderNode(child, scope, options);
      }
      return out;
    }
  }
}

/** `base` + `["a", 0, "b c"]` → `base.a[0]["b c"]`. */
export function joinPath(base: string, path: readonly PathSegment[]): string {
  let out = base;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
