/**
 * The same rules the background applies (src/storage), checked as the user types so a mistake is
 * named before anything is sent. The background checks again and its message is shown as is.
 */
import { validateCredentialName } from '../../../storage/credential-name';
import { validateEnvName } from '../../../storage/env-name';
import { MAX_ENV_VALUE_LENGTH } from '../../../storage/env-vars';
import { parseOAuthConfig } from '../../../auth/oauth-config';
import { describeOAuthError, type OAuthProblem } from '../../vault/oauthText';

function messageOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function credentialNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Enter a name, for example apiToken. Pipelines read it as {{credentials.apiToken}}.';
  return messageOf(() => validateCredentialName(name));
}

export function credentialValueProblem(value: string): string | undefined {
  return value === '' ? 'Enter the secret’s value.' : undefined;
}

export function envNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Enter a name, for example API_BASE. Pipelines read it as {{env.API_BASE}}.';
  return messageOf(() => validateEnvName(name));
}

export function envValueProblem(value: string): string | undefined {
  return value.length > MAX_ENV_VALUE_LENGTH ? `This value is ${value.length.toLocaleString('en-US')} characters long; at most ${MAX_ENV_VALUE_LENGTH.toLocaleString('en-US')} are allowed.` : undefined;
}

/** The background's rule for OAuth connection names (src/auth/oauth-connections.ts), in its words. */
const CONNECTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function connectionNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Enter a name, for example github. Pipelines use its token as {{credentials.github.accessToken}}.';
  if (!CONNECTION_NAME.test(name)) {
    return `"${name.slice(0, 80)}" is not a valid connection name: use 1 to 64 letters, digits, "_" or "-" (for example github). Pipelines use its token as {{credentials.<name>.accessToken}}.`;
  }
  return undefined;
}

/** The OAuth block checked in the page with the background's own parser: undefined, or the problem with its JSON paths. */
export function oauthConfigProblem(text: string): OAuthProblem | undefined {
  if (text.trim() === '') return { title: 'Paste the oauthConfig block', detail: 'The seed’s block as written, its // comment and { "oauthConfig": … } wrapper included.', issues: [] };
  try {
    parseOAuthConfig(text);
    return undefined;
  } catch (error) {
    return describeOAuthError(error, 'The OAuth configuration needs fixing');
  }
}

/** `github` for `github.accessToken` / `github.refreshToken` when `github` is one of the connections. */
export function oauthOwner(credentialName: string, connections: readonly string[]): string | undefined {
  const match = /^(.+)\.(accessToken|refreshToken)$/.exec(credentialName);
  return match && connections.includes(match[1]!) ? match[1] : undefined;
}
