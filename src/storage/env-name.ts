import { FerryError } from '../errors/ferry-error';

/**
 * Upper-case letters, digits and `_`, not starting with a digit: the shell convention, so
 * `{{env.API_BASE}}` reads like the variable it stands for and never collides with a template name.
 */
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const MAX_NAME_LENGTH = 128;

export function isEnvName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_NAME_LENGTH && ENV_NAME.test(name);
}

/** Returns the name, or throws FerryError('ENV_NAME_INVALID') saying what is allowed. */
export function validateEnvName(name: unknown): string {
  if (!isEnvName(name)) {
    const shown = String(name).slice(0, 140);
    throw new FerryError(
      'ENV_NAME_INVALID',
      `"${shown}" is not a valid environment variable name: use upper-case letters, digits and "_", not starting with a digit, at most ${MAX_NAME_LENGTH} characters (for example API_BASE).${suggestion(name)}`,
      { name: shown },
    );
  }
  return name;
}

function suggestion(name: unknown): string {
  if (typeof name !== 'string') return '';
  const upper = name.toUpperCase();
  return upper !== name && isEnvName(upper) ? ` Did you mean ${upper}?` : '';
}
