import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFerryError } from '../errors/ferry-error';
import { parseOAuthConfig } from './oauth-config';

const seed = readFileSync(join(__dirname, '../../tests/fixtures/seed/oauth-config.txt'), 'utf8');
const issuesOf = (input: unknown) => {
  try {
    parseOAuthConfig(input);
  } catch (error) {
    if (isFerryError(error, 'OAUTH_CONFIG_INVALID')) return (error.details!.issues as { path: string; message: string }[]).map((i) => i.message);
    throw error;
  }
  throw new Error('expected OAUTH_CONFIG_INVALID');
};

describe('parseOAuthConfig', () => {
  it('accepts the seed block as written: text with its comment, credential references kept as templates', () => {
    expect(parseOAuthConfig(seed)).toEqual({
      authUrl: 'https://auth.example.com/oauth/authorize',
      tokenUrl: 'https://auth.example.com/oauth/token',
      clientId: '{{credentials.clientId}}',
      clientSecret: '{{credentials.clientSecret}}',
      scopes: ['read', 'write'],
      redirectUri: 'https://localhost:3000/callback',
    });
  });

  it('accepts the inner object, a public client (no secret), a literal client id, loopback http, a revocation URL and extra parameters', () => {
    expect(parseOAuthConfig({ authUrl: 'http://127.0.0.1:9/a', tokenUrl: 'http://localhost:9/t', revocationUrl: 'https://x.test/r', clientId: 'ferry-public', authParams: { access_type: 'offline' } })).toEqual({
      authUrl: 'http://127.0.0.1:9/a', tokenUrl: 'http://localhost:9/t', revocationUrl: 'https://x.test/r', clientId: 'ferry-public', scopes: [], authParams: { access_type: 'offline' },
    });
  });

  it('reports every problem with its JSON path, never quoting a secret', () => {
    const messages = issuesOf({ oauthConfig: { authUrl: 'http://auth.example.com/a', tokenUrl: 'ftp://x', clientId: '{{extracted.id}}', clientSecret: 'hunter2-plain-secret', scopes: 'read', redirectUrl: 'x' } });
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^oauthConfig\.authUrl: expected the authorization endpoint as an absolute https URL/),
      expect.stringMatching(/^oauthConfig\.tokenUrl: expected the token endpoint/),
      expect.stringMatching(/^oauthConfig\.clientId: expected a client id, or a credential reference/),
      expect.stringMatching(/^oauthConfig\.clientSecret: expected a credential reference .* got a value \(not shown\)/),
      expect.stringMatching(/^oauthConfig\.scopes: expected a list of scopes/),
      expect.stringMatching(/^oauthConfig\.redirectUrl: unknown key \(did you mean "redirectUri"\?\)/),
    ]));
    expect(messages.join('\n')).not.toContain('hunter2');
  });
});
