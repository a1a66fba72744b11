/**
 * Validation of saved integrations, with the pipeline schemas' building blocks and messages
 * (`config.baseUrl: expected an absolute http or https URL ..., got "ftp://x"`), so a secret can only
 * ever be a `{{credentials.*}}` reference: auth reuses the pipelines' AuthSchema, a database
 * connection their DatabaseConnectionConfigSchema, and a header that carries a secret must reference one.
 */
import { z } from 'zod';
import { FerryError } from '../../errors/ferry-error';
import { validateConfig, type ConfigIssue } from '../../pipeline/issues';
import { AuthSchema } from '../../pipeline/schema/auth';
import { headers, strict, text, urlTemplate } from '../../pipeline/schema/common';
import { ConnectionPoolSchema, DatabaseConnectionConfigSchema } from '../../pipeline/schema/database';
import { hasTemplate, compileTemplate } from '../../pipeline/template/parse';
import type { IntegrationInput } from './types';

export type DatabaseConnectionInput = z.input<typeof DatabaseConnectionConfigSchema>;
export type ConnectionPoolInput = z.input<typeof ConnectionPoolSchema>;

export const INTEGRATION_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ID_PHRASE = 'an id of lower-case letters, digits, "-" and "_" (at most 64), such as "crm-api"';

/** Header names whose values are secrets: they must be credential references, never written out. */
const SECRET_HEADER = /authorization|token|secret|password|api[-_]?key|cookie|session/i;

function headersWithoutPlainSecrets() {
  return headers().superRefine((value, ctx) => {
    for (const [name, text] of Object.entries(value)) {
      if (!SECRET_HEADER.test(name)) continue;
      if (hasTemplate(text) && compileTemplate(text).credentials.length > 0) continue;
      ctx.addIssue({ code: 'custom', path: [name], message: `a credential reference such as "Bearer {{credentials.apiToken}}": "${name}" carries a secret, and secrets live in the credential store, not here` });
    }
  });
}

const healthPath = () => z.string({ error: 'a path such as "/health" (starting with "/" or "?")' }).regex(/^[/?]/, { error: 'a path such as "/health" (starting with "/" or "?")' });

export const RestIntegrationSchema = strict(
  { baseUrl: urlTemplate(), headers: headersWithoutPlainSecrets().optional(), auth: AuthSchema.optional(), healthPath: healthPath().optional() },
  'a REST endpoint such as {"baseUrl": "https://api.example.com/v1"}',
);

export const GraphqlIntegrationSchema = strict(
  { endpoint: urlTemplate(), headers: headersWithoutPlainSecrets().optional(), auth: AuthSchema.optional() },
  'a GraphQL endpoint such as {"endpoint": "https://api.example.com/graphql"}',
);

export const DatabaseIntegrationSchema = strict(
  { connectionConfig: DatabaseConnectionConfigSchema, connectionPool: ConnectionPoolSchema.optional() },
  'a database connection such as {"connectionConfig": {"type": "sqlite", "database": "crm.sqlite"}}',
);

const base = { id: text(ID_PHRASE).regex(INTEGRATION_ID, { error: ID_PHRASE }), name: text('a name such as "CRM API"').max(100, { error: 'a name of at most 100 characters' }) };

export const IntegrationInputSchema = z.discriminatedUnion(
  'kind',
  [
    strict({ ...base, kind: z.literal('rest'), config: RestIntegrationSchema }),
    strict({ ...base, kind: z.literal('graphql'), config: GraphqlIntegrationSchema }),
    strict({ ...base, kind: z.literal('database'), config: DatabaseIntegrationSchema }),
  ],
  { error: 'an integration: {"id": ..., "name": ..., "kind": "rest" | "graphql" | "database", "config": {...}}' },
);

/**
 * The integration as it is stored: validated, but as written (no defaults filled in, so what the
 * user typed is what is copied into pipelines). Throws FerryError INTEGRATION_INVALID with every
 * problem and its JSON path.
 */
export function parseIntegration(value: unknown): IntegrationInput {
  validateConfig(IntegrationInputSchema, value, 'integration', 'INTEGRATION_INVALID');
  return value as IntegrationInput;
}

/** Every problem, for a form that marks each field; [] when valid. */
export function integrationIssues(value: unknown): ConfigIssue[] {
  try {
    parseIntegration(value);
    return [];
  } catch (error) {
    if (isIntegrationInvalid(error)) return (error.details?.issues as ConfigIssue[] | undefined) ?? [];
    throw error;
  }
}

export function isIntegrationInvalid(error: unknown): error is FerryError {
  return error instanceof FerryError && error.code === 'INTEGRATION_INVALID';
}
