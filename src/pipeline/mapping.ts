/**
 * Applies a `dataTransformation` to one record: render the mapping, then validate the result. A
 * record that cannot be mapped (a template path missing from it) or fails validation comes back
 * with every reason and is never dropped: the run keeps it in its reject list and does not send it.
 */
import { isFerryError } from '../errors/ferry-error';
import type { DataTransformation } from './schema/data-transformation';
import { resolveCredentials, type CredentialResolver, type CredentialValues } from './template/credentials';
import type { RenderOptions, TemplateScope } from './template/render';
import { compileValue, renderValue, type CompiledValue } from './template/value';
import { compileValidation, validateRecord, type CompiledValidation, type RejectionReason } from './validation';

export interface CompiledTransformation {
  readonly fields: readonly (readonly [string, CompiledValue])[];
  readonly validation: CompiledValidation;
  /** Every credential the mapping reads: resolve these once per run, in the background. */
  readonly credentials: ReadonlySet<string>;
  /** Output fields that carry a credential; their values are never quoted in rejection messages. */
  readonly secretFields: ReadonlySet<string>;
}

export interface MappedRecord {
  /** The mapped record; for a rejected one, whatever could be mapped. */
  record: Record<string, unknown>;
  /** Present when the record must not be sent. */
  rejected?: RejectionReason[];
  /** Credentials whose values are inside `record`: logs of it must redact them. */
  credentialsUsed: ReadonlySet<string>;
}

/** Compiles once per run; `location` names the block in messages (e.g. `steps[0].dataTransformation`). */
export function compileTransformation(block: DataTransformation, location = 'dataTransformation'): CompiledTransformation {
  const fields = Object.entries(block.mapping).map(([name, value]) => [name, compileValue(value, `${location}.mapping.${name}`)] as const);
  const credentials = new Set<string>();
  const secretFields = new Set<string>();
  for (const [name, compiled] of fields) {
    compiled.credentials.forEach((c) => credentials.add(c));
    if (compiled.credentials.size > 0) secretFields.add(name);
  }
  return { fields, validation: compileValidation(block.validation), credentials, secretFields };
}

/**
 * Maps and validates one record. `scope` holds what templates read (`extracted`, `source`, ...);
 * pass `options.record` so errors name the record, and `options.credentials` when the mapping
 * reads credentials (see `resolveTransformationCredentials`).
 */
export function mapRecord(compiled: CompiledTransformation, scope: TemplateScope, options: RenderOptions = {}): MappedRecord {
  const record: Record<string, unknown> = {};
  let failed: Set<string> | undefined;
  let reasons: RejectionReason[] | undefined;
  const opts = options.now === undefined ? { ...options, now: Date.now() } : options; // one clock for the whole record
  for (const [name, value] of compiled.fields) {
    try {
      const rendered = renderValue(value, scope, opts).value;
      if (name === '__proto__') Object.defineProperty(record, name, { value: rendered, enumerable: true, writable: true, configurable: true });
      else record[name] = rendered;
    } catch (err) {
      // A path missing from this record rejects the record; anything else (a missing credential) is the run's problem.
      if (!isFerryError(err, 'TEMPLATE_MISSING_PATH')) throw err;
      (failed ??= new Set()).add(name);
      (reasons ??= []).push({ field: name, rule: 'template', message: err.message });
    }
  }
  const result = validateRecord(compiled.validation, record, { hiddenFields: compiled.secretFields, ...(failed ? { skipFields: failed } : {}) });
  if (!result.ok) (reasons ??= []).push(...result.reasons);
  return reasons ? { record, rejected: reasons, credentialsUsed: compiled.credentials } : { record, credentialsUsed: compiled.credentials };
}

/** Resolves the mapping's credentials once, through the vault's resolver (background only). */
export async function resolveTransformationCredentials(compiled: CompiledTransformation, resolve: CredentialResolver): Promise<CredentialValues | undefined> {
  return compiled.credentials.size > 0 ? resolveCredentials(compiled.credentials, resolve) : undefined;
}
