import { FerryError } from '../errors/ferry-error';
import type { FerryDB } from './db';
import { isEnvName, validateEnvName } from './env-name';
import type { EnvVarRow } from './rows';

/** Long enough for a URL or a JSON snippet; anything longer is not configuration. */
export const MAX_ENV_VALUE_LENGTH = 8_192;

/**
 * The user's environment variables for `{{env.NAME}}` templates: plain named values, NOT secrets.
 * They are listed to pages with their values and copied into every run that reads them, so a
 * token put here would end up in run history; tokens belong in the vault (`{{credentials.*}}`).
 */
export class EnvVars {
  constructor(private readonly db: FerryDB, private readonly now: () => number = Date.now) {}

  /** Creates or replaces a variable. FerryError: ENV_NAME_INVALID, ENV_VALUE_INVALID. */
  async set(name: string, value: string): Promise<EnvVarRow> {
    validateEnvName(name);
    if (typeof value !== 'string') {
      throw new FerryError('ENV_VALUE_INVALID', `The value of ${name} must be text, not ${value === null ? 'null' : typeof value}.`, { name });
    }
    if (value.length > MAX_ENV_VALUE_LENGTH) {
      throw new FerryError('ENV_VALUE_INVALID', `The value of ${name} is ${value.length} characters long; at most ${MAX_ENV_VALUE_LENGTH} are allowed.`, { name, length: value.length });
    }
    return this.db.transaction('rw', this.db.envVars, async () => {
      const at = this.now();
      const createdAt = (await this.db.envVars.get(name))?.createdAt ?? at;
      const row: EnvVarRow = { name, value, createdAt, updatedAt: at };
      await this.db.envVars.put(row);
      return row;
    });
  }

  async get(name: string): Promise<EnvVarRow | undefined> {
    return this.db.envVars.get(validateEnvName(name));
  }

  /** By name. */
  list(): Promise<EnvVarRow[]> {
    return this.db.envVars.orderBy('name').toArray();
  }

  /** The values of those of `names` that are set. Names that could never be set are simply absent. */
  async values(names: Iterable<string>): Promise<Record<string, string>> {
    const wanted = [...new Set(names)].filter(isEnvName);
    const rows = await this.db.envVars.bulkGet(wanted);
    const out: Record<string, string> = {};
    for (const row of rows) if (row) out[row.name] = row.value;
    return out;
  }

  /** True when the variable existed. Runs already started keep the value they copied. */
  async delete(name: string): Promise<boolean> {
    validateEnvName(name);
    return this.db.transaction('rw', this.db.envVars, async () => {
      const existed = (await this.db.envVars.get(name)) !== undefined;
      await this.db.envVars.delete(name);
      return existed;
    });
  }
}
