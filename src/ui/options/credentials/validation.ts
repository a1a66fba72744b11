/**
 * The same rules the background applies (src/storage), checked as the user types so a mistake is
 * named before anything is sent. The background checks again and its message is shown as is.
 */
import { validateCredentialName } from '../../../storage/credential-name';
import { validateEnvName } from '../../../storage/env-name';
import { MAX_ENV_VALUE_LENGTH } from '../../../storage/env-vars';

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
