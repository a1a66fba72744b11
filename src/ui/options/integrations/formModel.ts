/**
 * The integration form as flat fields, and the conversion to and from the saved shape. Problems are
 * found with the background's own schema (src/integrations/saved/schema.ts) and placed on the field
 * their JSON path names, so the form says what the background would.
 */
import type { ConfigIssue } from '../../../pipeline/issues';
import { integrationIssues } from '../../../integrations/saved/schema';
import type { IntegrationInput, IntegrationKind } from '../../../integrations/saved/types';
import type { IntegrationRow } from '../../../storage/rows';

export type AuthType = 'none' | 'bearer' | 'basic' | 'apiKey';

export interface IntegrationForm {
  id: string;
  name: string;
  kind: IntegrationKind;
  baseUrl: string;
  healthPath: string;
  endpoint: string;
  /** "Name: value" per line. */
  headers: string;
  authType: AuthType;
  token: string;
  username: string;
  password: string;
  apiKeyName: string;
  apiKeyIn: 'header' | 'query';
  apiKeyValue: string;
  dbType: 'sqlite' | 'postgresql';
  dbDatabase: string;
  dbHost: string;
  dbPort: string;
  dbUsername: string;
  dbPassword: string;
  dbSsl: boolean;
  poolMax: string;
}

export type FieldName = keyof IntegrationForm;

export function emptyForm(kind: IntegrationKind = 'rest'): IntegrationForm {
  return {
    id: '', name: '', kind, baseUrl: '', healthPath: '', endpoint: '', headers: '', authType: 'none', token: '', username: '', password: '',
    apiKeyName: 'X-API-Key', apiKeyIn: 'header', apiKeyValue: '', dbType: 'sqlite', dbDatabase: '', dbHost: '', dbPort: '', dbUsername: '', dbPassword: '', dbSsl: false, poolMax: '',
  };
}

/** "CRM API (prod)" → "crm-api-prod". */
export function slugOf(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

export function formOf(row: IntegrationRow): IntegrationForm {
  const form = { ...emptyForm(row.kind), id: row.id, name: row.name };
  if (row.kind === 'database') {
    const c = row.config.connectionConfig;
    return {
      ...form,
      dbType: c.type === 'sqlite' ? 'sqlite' : 'postgresql',
      dbDatabase: c.database ?? '', dbHost: c.host ?? '', dbPort: c.port === undefined ? '' : String(c.port), dbUsername: c.username ?? '', dbPassword: c.password ?? '',
      dbSsl: c.ssl === true, poolMax: row.config.connectionPool?.maxConnections === undefined ? '' : String(row.config.connectionPool.maxConnections),
    };
  }
  const config = row.config;
  const headers = Object.entries(config.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
  const auth = config.auth;
  const withAuth = {
    ...form, headers, authType: (auth?.type ?? 'none') as AuthType,
    ...(auth?.type === 'bearer' ? { token: auth.token } : {}),
    ...(auth?.type === 'basic' ? { username: auth.username, password: auth.password } : {}),
    ...(auth?.type === 'apiKey' ? { apiKeyName: auth.name, apiKeyIn: auth.in ?? 'header', apiKeyValue: auth.value } : {}),
  };
  return row.kind === 'rest' ? { ...withAuth, baseUrl: row.config.baseUrl, healthPath: row.config.healthPath ?? '' } : { ...withAuth, endpoint: row.config.endpoint };
}

/** Lines that are not "Name: value", as problems; the rest as an object. */
export function parseHeaders(text: string): { headers: Record<string, string>; problem?: string } {
  const headers: Record<string, string> = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { headers, problem: `Line ${i + 1}: write each header as "Name: value".` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

const opt = (value: string) => (value.trim() === '' ? undefined : value.trim());

export function inputOf(form: IntegrationForm): IntegrationInput {
  const base = { id: form.id.trim(), name: form.name.trim() };
  if (form.kind === 'database') {
    const port = opt(form.dbPort);
    const sqlite = form.dbType === 'sqlite';
    const connectionConfig = Object.fromEntries(
      Object.entries({
        type: form.dbType,
        database: opt(form.dbDatabase),
        ...(sqlite ? {} : { host: opt(form.dbHost), port: port === undefined ? undefined : /^\d+$/.test(port) ? Number(port) : port, username: opt(form.dbUsername), password: opt(form.dbPassword), ssl: form.dbSsl ? true : undefined }),
      }).filter(([, v]) => v !== undefined),
    );
    const max = opt(form.poolMax);
    return { ...base, kind: 'database', config: { connectionConfig: connectionConfig as never, ...(max !== undefined && !sqlite ? { connectionPool: { maxConnections: Number(max) } } : {}) } };
  }
  const { headers } = parseHeaders(form.headers);
  const auth =
    form.authType === 'bearer' ? { type: 'bearer' as const, token: form.token.trim() }
    : form.authType === 'basic' ? { type: 'basic' as const, username: form.username.trim(), password: form.password.trim() }
    : form.authType === 'apiKey' ? { type: 'apiKey' as const, in: form.apiKeyIn, name: form.apiKeyName.trim(), value: form.apiKeyValue.trim() }
    : undefined;
  const common = { ...(Object.keys(headers).length > 0 ? { headers } : {}), ...(auth ? { auth } : {}) };
  if (form.kind === 'graphql') return { ...base, kind: 'graphql', config: { endpoint: form.endpoint.trim(), ...common } };
  return { ...base, kind: 'rest', config: { baseUrl: form.baseUrl.trim(), ...common, ...(opt(form.healthPath) ? { healthPath: form.healthPath.trim() } : {}) } };
}

const FIELD_OF: [RegExp, FieldName][] = [
  [/^id$/, 'id'],
  [/^name$/, 'name'],
  [/^config\.baseUrl/, 'baseUrl'],
  [/^config\.healthPath/, 'healthPath'],
  [/^config\.endpoint/, 'endpoint'],
  [/^config\.headers/, 'headers'],
  [/^config\.auth\.token/, 'token'],
  [/^config\.auth\.username/, 'username'],
  [/^config\.auth\.password/, 'password'],
  [/^config\.auth\.name/, 'apiKeyName'],
  [/^config\.auth\.value/, 'apiKeyValue'],
  [/^config\.connectionConfig\.database/, 'dbDatabase'],
  [/^config\.connectionConfig\.host/, 'dbHost'],
  [/^config\.connectionConfig\.port/, 'dbPort'],
  [/^config\.connectionConfig\.username/, 'dbUsername'],
  [/^config\.connectionConfig\.password/, 'dbPassword'],
  [/^config\.connectionPool/, 'poolMax'],
];

export interface FormProblems {
  byField: Partial<Record<FieldName, string>>;
  /** Problems no field shows. */
  other: string[];
}

/** The schema's problems, each as "expected ..." on its field. */
export function formProblems(form: IntegrationForm): FormProblems {
  const byField: FormProblems['byField'] = {};
  const other: string[] = [];
  const headerProblem = form.kind !== 'database' ? parseHeaders(form.headers).problem : undefined;
  if (headerProblem) byField.headers = headerProblem;
  if (form.kind === 'database' && form.dbType === 'sqlite' && form.dbDatabase.trim() === '') byField.dbDatabase = 'Enter a file name, such as crm.sqlite (a file in the host’s data folder).';
  for (const issue of integrationIssues(inputOf(form)) as ConfigIssue[]) {
    const field = FIELD_OF.find(([re]) => re.test(issue.path))?.[1];
    const text = `Expected ${issue.expected}${issue.got !== undefined ? `, got ${issue.got}` : ''}.`;
    if (field && !byField[field]) byField[field] = text;
    else if (!field) other.push(issue.message);
  }
  return { byField, other };
}
