import { FerryError } from '../errors/ferry-error';

/** Letters, digits, `_`, `.` and `-`: what `{{credentials.name}}` can reference without escaping. */
const CREDENTIAL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Returns the name, or throws FerryError('CREDENTIAL_NAME_INVALID') saying what is allowed. */
export function validateCredentialName(name: string): string {
  if (typeof name !== 'string' || !CREDENTIAL_NAME.test(name)) {
    throw new FerryError(
      'CREDENTIAL_NAME_INVALID',
      `"${String(name).slice(0, 140)}" is not a valid credential name: use 1 to 128 letters, digits, "_", "." or "-" (for example apiToken or github.token).`,
      { name: String(name).slice(0, 140) },
    );
  }
  return name;
}
