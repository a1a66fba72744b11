/**
 * API keys with the seed's `apiKeyConfig`: the key's value lives in the vault under the key's name
 * (so pipelines use it as `{{credentials.<name>}}`); this keeps its API, how it is sent, its
 * configuration, rotation time and last validation. A key that fails validation is refused on save
 * (unless forced) and on rotation, where the old key stays active. Every validation call is audited.
 */
import { FerryError } from '../../errors/ferry-error';
import type { AuditLog } from '../../storage/audit';
import { validateCredentialName } from '../../storage/credential-name';
import type { FerryDB } from '../../storage/db';
import type { ApiKeyAuth, ApiKeyRow } from '../../storage/rows';
import type { Vault } from '../../storage/vault';
import { parseApiKeyAuth, parseBaseUrl } from './auth';
import { parseApiKeyConfig, type ApiKeyConfig } from './config';
import { rotationSchedule, rotationState, type RotationState } from './schedule';
import { validateApiKey, type ValidationResult } from './validate';

export interface SaveApiKeyInput {
  name: string;
  /** The key; omitted to change only the configuration of a stored key. */
  value?: string;
  baseUrl: string;
  auth?: unknown;
  apiKeyConfig: unknown;
  /** Keep the key even though it does not validate. */
  force?: boolean;
}

/** What pages see: never the value. */
export interface ApiKeySummary {
  name: string;
  baseUrl: string;
  auth: ApiKeyAuth;
  config: ApiKeyConfig;
  createdAt: number;
  rotatedAt: number;
  dueAt?: number;
  remindAt?: number;
  state: RotationState;
  lastValidation?: ApiKeyRow['lastValidation'];
}

export interface ApiKeysOptions {
  now?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Called after any change that moves a due date (the reminders re-arm). */
  onChange?: () => void;
}

export class ApiKeys {
  private readonly now: () => number;

  constructor(private readonly db: FerryDB, private readonly vault: Vault, private readonly audit: AuditLog, private readonly options: ApiKeysOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async save(input: SaveApiKeyInput): Promise<ApiKeySummary> {
    const name = validateCredentialName(input.name);
    // An OAuth connection's tokens live under these names: an API key there would send a token to
    // the key's validation endpoint, or be overwritten by the next refresh.
    if (/\.(accessToken|refreshToken)$/.test(name)) {
      throw new FerryError('API_KEY_NAME_RESERVED', `"${name}" is the name of an OAuth connection's token; choose another name for the API key.`, { name });
    }
    const config = parseApiKeyConfig(input.apiKeyConfig);
    const baseUrl = parseBaseUrl(input.baseUrl);
    const auth = parseApiKeyAuth(input.auth);
    const existing = await this.db.apiKeys.get(name);
    if (input.value !== undefined && (typeof input.value !== 'string' || input.value.length === 0)) {
      throw new FerryError('CREDENTIAL_VALUE_EMPTY', `API key "${name}" needs a value.`, { name });
    }
    const value = input.value ?? (await this.storedValue(name, existing));
    const result = await this.check({ name, value, baseUrl, auth, config });
    if (!result.ok && !input.force) {
      throw new FerryError('API_KEY_INVALID', `The API key "${name}" did not validate, so it was not saved: ${result.detail} Check the key and the API's URL, or save it anyway.`, { name, status: result.status });
    }
    const at = this.now();
    if (input.value !== undefined) await this.vault.setCredential(name, input.value);
    const row: ApiKeyRow = {
      name, baseUrl, auth, config, createdAt: existing?.createdAt ?? at,
      rotatedAt: input.value !== undefined || !existing ? at : existing.rotatedAt,
      lastValidation: validationRecord(result, at),
      ...(existing?.remindedFor !== undefined && input.value === undefined ? { remindedFor: existing.remindedFor } : {}),
    };
    await this.db.apiKeys.put(row);
    this.options.onChange?.();
    return summarise(row, at);
  }

  async list(): Promise<ApiKeySummary[]> {
    const at = this.now();
    return (await this.db.apiKeys.toArray()).map((row) => summarise(row, at));
  }

  /** Validates the stored key now and records the answer (also on failure; only the vault can refuse). */
  async validate(name: string): Promise<ApiKeySummary> {
    const row = await this.row(name);
    const value = await this.storedValue(name, row);
    const result = await this.check({ name, value, baseUrl: row.baseUrl, auth: row.auth, config: row.config as ApiKeyConfig });
    const at = this.now();
    const updated: ApiKeyRow = { ...row, lastValidation: validationRecord(result, at) };
    await this.db.apiKeys.put(updated);
    return summarise(updated, at);
  }

  /**
   * Replaces the key with `newValue` once the new key validates against the same endpoint. Until
   * then the old key stays in the vault and runs keep using it: API_KEY_ROTATION_REFUSED.
   */
  async rotate(name: string, newValue: string): Promise<ApiKeySummary> {
    const row = await this.row(name);
    if (typeof newValue !== 'string' || newValue.length === 0) throw new FerryError('CREDENTIAL_VALUE_EMPTY', `The new key for "${name}" is empty.`, { name });
    await this.vault.ensureUnlocked();
    const result = await this.check({ name, value: newValue, baseUrl: row.baseUrl, auth: row.auth, config: row.config as ApiKeyConfig });
    if (!result.ok) {
      throw new FerryError('API_KEY_ROTATION_REFUSED', `The new key for "${name}" did not validate, so the current key stays active: ${result.detail}`, { name, status: result.status });
    }
    await this.vault.setCredential(name, newValue);
    const at = this.now();
    const { remindedFor: _done, ...rest } = row;
    const updated: ApiKeyRow = { ...rest, rotatedAt: at, lastValidation: validationRecord(result, at) };
    await this.db.apiKeys.put(updated);
    this.options.onChange?.();
    return summarise(updated, at);
  }

  /** Deletes the record and the key in the vault. */
  async delete(name: string): Promise<{ deleted: boolean }> {
    validateCredentialName(name);
    const existed = (await this.db.apiKeys.get(name)) !== undefined;
    await this.db.apiKeys.delete(name);
    const hadValue = existed ? await this.vault.deleteCredential(name) : false;
    this.options.onChange?.();
    return { deleted: existed || hadValue };
  }

  /** Keys whose reminder is due and not yet shown for this rotation period. */
  async remindersDue(): Promise<{ name: string; dueAt: number }[]> {
    const at = this.now();
    const due: { name: string; dueAt: number }[] = [];
    for (const row of await this.db.apiKeys.toArray()) {
      const schedule = rotationSchedule(row.config as ApiKeyConfig, row.rotatedAt);
      if (schedule && at >= schedule.remindAt && row.remindedFor !== schedule.dueAt) due.push({ name: row.name, dueAt: schedule.dueAt });
    }
    return due;
  }

  async markReminded(name: string, dueAt: number): Promise<void> {
    await this.db.apiKeys.update(name, { remindedFor: dueAt });
  }

  /** The next time a reminder becomes due (for the alarm); undefined when none is pending. */
  async nextReminderAt(): Promise<number | undefined> {
    let next: number | undefined;
    for (const row of await this.db.apiKeys.toArray()) {
      const schedule = rotationSchedule(row.config as ApiKeyConfig, row.rotatedAt);
      if (!schedule || row.remindedFor === schedule.dueAt) continue;
      next = Math.min(next ?? Infinity, schedule.remindAt);
    }
    return next;
  }

  /** Validates every key with an endpoint whose last validation is older than `maxAgeMs` (the daily check). */
  async validateStale(maxAgeMs: number): Promise<ApiKeySummary[]> {
    const at = this.now();
    const stale = (await this.db.apiKeys.toArray()).filter((row) => (row.config as ApiKeyConfig).validation && (!row.lastValidation || at - row.lastValidation.at >= maxAgeMs));
    const done: ApiKeySummary[] = [];
    for (const row of stale) done.push(await this.validate(row.name));
    return done;
  }

  private async row(name: string): Promise<ApiKeyRow> {
    validateCredentialName(name);
    const row = await this.db.apiKeys.get(name);
    if (!row) throw new FerryError('API_KEY_NOT_FOUND', `No API key named "${name}". Add it in Ferry's options first.`, { name });
    return row;
  }

  private async storedValue(name: string, existing: ApiKeyRow | undefined): Promise<string> {
    try {
      return await this.vault.resolveCredential(name);
    } catch (error) {
      if (!existing && (error as FerryError).code === 'CREDENTIAL_NOT_FOUND') {
        throw new FerryError('CREDENTIAL_VALUE_EMPTY', `API key "${name}" needs a value.`, { name });
      }
      throw error;
    }
  }

  /** One validation call, audited (never with the key: the query string is dropped, the header is not recorded). */
  private async check(request: { name: string; value: string; baseUrl: string; auth: ApiKeyAuth; config: ApiKeyConfig }): Promise<ValidationResult> {
    const result = await validateApiKey({ ...request, now: this.now, ...(this.options.fetch ? { fetch: this.options.fetch } : {}), ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}) });
    if (request.config.validation) {
      await this.audit.append({
        runId: '', operation: 'apiKey.validate', credential: request.name, method: result.target.method, host: result.target.host, path: result.target.path,
        ...(result.status !== undefined ? { status: result.status } : {}),
        durationMs: Math.max(0, Math.round(result.durationMs)), attempt: 1,
        outcome: result.ok ? 'valid' : result.status === undefined ? 'network_error' : 'invalid',
      });
    }
    return result;
  }
}

function validationRecord(result: ValidationResult, at: number): NonNullable<ApiKeyRow['lastValidation']> {
  return { at, ok: result.ok, detail: result.detail, ...(result.status !== undefined ? { status: result.status } : {}) };
}

function summarise(row: ApiKeyRow, at: number): ApiKeySummary {
  const config = row.config as ApiKeyConfig;
  const schedule = rotationSchedule(config, row.rotatedAt);
  return {
    name: row.name, baseUrl: row.baseUrl, auth: row.auth, config, createdAt: row.createdAt, rotatedAt: row.rotatedAt,
    ...(schedule ? { dueAt: schedule.dueAt, remindAt: schedule.remindAt } : {}),
    state: rotationState(schedule, at),
    ...(row.lastValidation ? { lastValidation: row.lastValidation } : {}),
  };
}
