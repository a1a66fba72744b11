/**
 * Which `{{env.NAME}}` placeholders a template reads, found once at compile time. The background
 * copies the values of exactly these names into a run when it starts (so a run resumed later, or a
 * dead letter replayed, renders with the values it started with), and refuses to start a run whose
 * template reads a variable that is not set and has no default.
 */
import type { CompiledTemplate } from './ast';

export interface EnvReference {
  /** The variable: `API_BASE`. */
  name: string;
  /** The placeholder as written: `{{env.API_BASE}}`. */
  placeholder: string;
  /** Where the template sits: `steps[1].http.url`. */
  location: string;
  /** True when the placeholder has `| default: ...`, so an unset variable renders the default. */
  hasDefault: boolean;
}

export function templateEnvReferences(template: CompiledTemplate): EnvReference[] {
  const refs: EnvReference[] = [];
  for (const part of template.parts) {
    if (typeof part === 'string' || part.expression.kind !== 'env') continue;
    refs.push({ name: part.expression.name, placeholder: part.source, location: template.location, hasDefault: part.fallback !== undefined });
  }
  return refs;
}
