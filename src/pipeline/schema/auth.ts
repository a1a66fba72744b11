/**
 * `auth` of an HTTP or GraphQL step. Secrets are always credential references
 * (`{{credentials.name}}`), resolved in the background when the request is sent.
 */
import { z } from 'zod';
import { credentialReference, oneOf, strict, templateText, text } from './common';

const AUTH = 'an auth method: {"type": "bearer", "token": ...}, {"type": "basic", "username": ..., "password": ...} or {"type": "apiKey", "name": ..., "value": ...}';

export const AuthSchema = z.discriminatedUnion(
  'type',
  [
    strict({ type: z.literal('bearer'), token: credentialReference() }),
    strict({ type: z.literal('basic'), username: templateText('a user name (templates allowed)'), password: credentialReference() }),
    strict({
      type: z.literal('apiKey'),
      /** Sent as a header (default) or as a query parameter. */
      in: oneOf(['header', 'query']).default('header'),
      /** The header or query parameter name, such as "X-API-Key" or "api_key". */
      name: text('a header or query parameter name such as "X-API-Key"'),
      value: credentialReference(),
    }),
  ],
  { error: AUTH },
);

export type Auth = z.output<typeof AuthSchema>;
