/**
 * A new pipeline's id comes from its name, so two pipelines made from one starter (or with one
 * name) get different ids instead of the second silently replacing the first.
 */

/** Longest id a name yields; a suffix such as "-12" may follow. */
const MAX_SLUG = 60;

/** "Page → REST API" → "page-rest-api": lower-case letters, digits and hyphens ("pipeline" when nothing is left). */
export function pipelineIdFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents, split off by NFKD: "Café" → "cafe"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'pipeline' : slug;
}

/** `base` if no saved pipeline has it, else the first free of `base-2`, `base-3`, … */
export function uniquePipelineId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
