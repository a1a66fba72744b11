/**
 * The seed's `apiKeyConfig` block, accepted as written: configuration text (comments and all), the
 * `{ "apiKeyConfig": { ... } }` wrapper, or the inner object. Durations are written as a whole number
 * and a unit (`"30d"`, `"12h"`, `"90m"`, `"45s"`, `"2w"`). Problems come back with their JSON paths
 * (`apiKeyConfig.rotation.interval: expected ...`) as FerryError API_KEY_CONFIG_INVALID.
 */
import { z } from 'zod';
import { parseConfigText, validateConfig } from '../../pipeline';
import { boolean, strict } from '../../pipeline/schema/common';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d{1,6})(s|m|h|d|w)$/;
const DURATION_PHRASE = 'a duration such as "30d", "12h" or "90m" (s, m, h, d or w)';

/** Milliseconds of a duration as the seed writes it; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 ? ms : undefined;
}

const duration = () =>
  z.string({ error: DURATION_PHRASE }).refine((value) => durationMs(value) !== undefined, { error: DURATION_PHRASE });

/** A path under the key's API (`/api/v1/validate`) or an absolute http(s) URL. */
const endpoint = () => {
  const phrase = 'a path such as "/api/v1/validate" (under the key\'s API), or an absolute http(s) URL';
  return z.string({ error: phrase }).refine((value) => value.startsWith('/') || /^https?:\/\//i.test(value), { error: phrase });
};

const Json: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]));

export const ApiKeyConfigSchema = strict({
  /** Ferry keeps every key encrypted in its vault; "encrypted" is the only storage it offers. */
  storage: z.enum(['encrypted'], { error: '"encrypted" (Ferry keeps every key encrypted in its vault)' }).default('encrypted'),
  rotation: strict({
    enabled: boolean().default(true),
    interval: duration(),
    notifyBefore: duration(),
  }).refine((r) => durationMs(r.notifyBefore)! < durationMs(r.interval)!, {
    error: 'a notifyBefore shorter than the interval',
    path: ['notifyBefore'],
  }).optional(),
  validation: strict({
    testEndpoint: endpoint(),
    method: z.enum(['GET', 'POST', 'HEAD'], { error: 'one of "GET", "POST", "HEAD"' }).default('GET'),
    /** Matched as a subset of the JSON body: every field given must be there with this value. */
    expectedResponse: Json.optional(),
    /** The status a valid key gets; default: any 2xx. */
    expectedStatus: z.number({ error: 'an HTTP status code from 100 to 599' }).int().min(100).max(599).optional(),
  }).optional(),
});

export type ApiKeyConfig = z.output<typeof ApiKeyConfigSchema>;

const Wrapper = z.object({ apiKeyConfig: z.unknown() });

/** Parses the block as pasted; throws FerryError CONFIG_SYNTAX or API_KEY_CONFIG_INVALID. */
export function parseApiKeyConfig(input: unknown): ApiKeyConfig {
  const value = typeof input === 'string' ? parseConfigText(input) : input;
  const wrapped = Wrapper.safeParse(value);
  const inner = wrapped.success ? wrapped.data.apiKeyConfig : value;
  return validateConfig(strict({ apiKeyConfig: ApiKeyConfigSchema }), { apiKeyConfig: inner }, 'API key configuration', 'API_KEY_CONFIG_INVALID').apiKeyConfig;
}
