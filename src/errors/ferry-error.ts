/**
 * The base of Ferry's typed errors outside the wire protocol (pipelines, integrations, storage).
 * Each error has a stable string `code` (e.g. `TEMPLATE_MISSING_PATH`, `HTTP_TIMEOUT`) that code and
 * tests branch on, a message that says what to fix, and optional structured `details` that are safe
 * to show and store (never a secret). Branded so `isFerryError` holds across realms and after
 * structured cloning has stripped the prototype (check the plain `toJSON()` shape there).
 */
const BRAND = Symbol.for('ferry.FerryError');

export interface FerryErrorJSON {
  name: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class FerryError extends Error {
  readonly [BRAND] = true;
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FerryError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toJSON(): FerryErrorJSON {
    return { name: this.name, code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isFerryError(value: unknown, code?: string): value is FerryError {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (value as FerryError).code === code;
}
