/**
 * The seed's `oauthConfig` block, accepted as written: configuration text (comments and all), the
 * `{ "oauthConfig": { ... } }` wrapper, or the inner object. `clientId` may be a credential reference
 * (the seed's `{{credentials.clientId}}`) or a plain public id; `clientSecret` is optional and, like
 * every secret, only a credential reference. Problems come back with their JSON paths
 * (`oauthConfig.tokenUrl: expected ...`) as FerryError OAUTH_CONFIG_INVALID.
 */
import { z } from 'zod';
import { parseConfigText, validateConfig } from '../pipeline';
import { credentialReference, list, record, strict, templateText, text } from '../pipeline/schema/common';
import { compileTemplate, hasTemplate } from '../pipeline/templates';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http to this machine only (a local test server): tokens never cross a network in clear. */
function endpointUrl(what: string) {
  const phrase = `the ${what} as an absolute https URL (http only for 127.0.0.1 or localhost)`;
  return z.string({ error: phrase }).refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    } catch {
      return false;
    }
  }, { error: phrase });
}

/** A public client id, or a credential reference to one; other templates have nothing to render from. */
function clientId() {
  const phrase = 'a client id, or a credential reference such as "{{credentials.clientId}}"';
  return templateText(phrase).refine((value) => {
    if (value.trim() === '') return false;
    if (!hasTemplate(value)) return true;
    return compileTemplate(value).parts.every((part) => typeof part === 'string' || part.expression.kind === 'credential');
  }, { error: phrase });
}

export const OAuthConfigSchema = strict({
  authUrl: endpointUrl('authorization endpoint'),
  tokenUrl: endpointUrl('token endpoint'),
  /** RFC 7009 revocation endpoint; `oauth.disconnect` calls it when given. Not in the seed. */
  revocationUrl: endpointUrl('revocation endpoint').optional(),
  clientId: clientId(),
  clientSecret: credentialReference().optional(),
  scopes: list(text('a scope such as "read"'), 'a list of scopes such as ["read", "write"]').default([]),
  /** Accepted as written; the browser's own redirect URL is used unless this is one (see connect). */
  redirectUri: z.string({ error: 'a redirect URI' }).optional(),
  /** Extra authorization request parameters, such as {"access_type": "offline"} or {"audience": "..."}. */
  authParams: record(text('text'), 'an object of parameter names and text values').optional(),
});

export type OAuthConfig = z.output<typeof OAuthConfigSchema>;

const Wrapper = z.object({ oauthConfig: z.unknown() });

/** Parses the block as pasted; throws FerryError CONFIG_SYNTAX or OAUTH_CONFIG_INVALID. */
export function parseOAuthConfig(input: unknown): OAuthConfig {
  const value = typeof input === 'string' ? parseConfigText(input) : input;
  const wrapped = Wrapper.safeParse(value);
  // Paths say `oauthConfig.tokenUrl` either way, as the user's block spells them.
  const inner = wrapped.success ? wrapped.data.oauthConfig : value;
  return validateConfig(strict({ oauthConfig: OAuthConfigSchema }), { oauthConfig: inner }, 'OAuth configuration', 'OAUTH_CONFIG_INVALID').oauthConfig;
}
