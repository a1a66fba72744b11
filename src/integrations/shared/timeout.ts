import { FerryError } from '../../errors/ferry-error';

/** Every attempt has a deadline; 30 s matches the native client's default call timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** setTimeout's limit (ky refuses larger timeouts too). */
const MAX_TIMEOUT_MS = 2_147_483_647;

export function validTimeout(timeout: number | undefined): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MS) {
    throw new FerryError('INVALID_REQUEST', `timeout must be a number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`, { field: 'timeout' });
  }
  return timeout;
}
