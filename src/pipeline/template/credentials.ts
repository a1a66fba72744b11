/**
 * Credentials for `{{credentials.name}}`. Templates never reach a vault themselves: the caller that
 * owns one (the background, at send time) resolves the names a compiled template declares and hands
 * the values in. Everywhere else there is nothing to hand in, so a credential template fails loudly
 * instead of rendering a secret where it does not belong. The values live in a private field so that
 * logging or serializing the holder shows no secret.
 */
import { basicAuthForm, secretForms } from './secret-forms';

/** Looks a credential up by name; `undefined` when the vault has no such credential. */
export type CredentialResolver = (name: string) => Promise<string | undefined>;

export class CredentialValues {
  readonly #values: ReadonlyMap<string, string>;

  private constructor(values: ReadonlyMap<string, string>) {
    this.#values = values;
  }

  /** @internal Used by `resolveCredentials`; tests may build one directly. */
  static of(values: Iterable<readonly [string, string]>): CredentialValues {
    return new CredentialValues(new Map(values));
  }

  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** Names only: safe to log. */
  names(): string[] {
    return [...this.#values.keys()];
  }

  toJSON(): string {
    return `[credentials: ${this.names().join(', ')}]`;
  }

  toString(): string {
    return this.toJSON();
  }
}

/** Resolves each name once (in parallel). Missing names are left out: rendering then reports them. */
export async function resolveCredentials(names: Iterable<string>, resolve: CredentialResolver): Promise<CredentialValues> {
  const unique = [...new Set(names)];
  const values = await Promise.all(unique.map(async (name) => [name, await resolve(name)] as const));
  return CredentialValues.of(values.filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string'));
}

const REDACTED = '[redacted]';

/**
 * A copy of `value` in which every occurrence of the named credentials' values is replaced by
 * `[redacted]`, inside any string at any depth. For audit entries and run history: it also catches a
 * secret that travelled through an earlier step (a mapped field carried into `{{transformedData}}`).
 * Each value is also found in the forms a request gives it (secret-forms.ts): percent-encoded (a
 * parsed URL's path holds the encoded value, not the value) and in base64 as basic auth sends it.
 */
export function redactCredentials(value: unknown, credentials: CredentialValues, names: Iterable<string>): unknown {
  const values = [...new Set(names)].map((name) => credentials.get(name)).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const forms = new Set(values.flatMap(secretForms));
  // Two credentials as basic auth's username and password: the pair's exact encoding.
  for (const username of values) for (const password of values) forms.add(basicAuthForm(username, password));
  const secrets = [...forms].sort((a, b) => b.length - a.length); // longest first, so a secret containing another is replaced whole
  if (secrets.length === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.reduce((s, secret) => s.split(secret).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return scrub(value);
}
