/**
 * A run's environment: the values of the `{{env.NAME}}` variables its pipeline reads, copied from
 * the user's env store when the run starts and stored with the run (run-definition.ts). Every
 * batch renders from that copy, so a run resumed after the worker stopped, or a dead letter
 * replayed days later, sends what the first batch sent even if the variable changed meanwhile.
 *
 * A variable read without a default that is not set refuses the run at start, naming the
 * template and the variable: otherwise every record would be rejected, or every batch dead-lettered.
 * Env values are not secret (they are shown, and stored in run history); secrets are credentials.
 */
import { FerryError } from '../errors/ferry-error';
import { compileTransformation, templateEnvReferences, type EnvReference } from '../pipeline';
import { isEnvName } from '../storage/env-name';
import type { DeliveryPlan } from './delivery-plan';
import type { PipelineShape } from './pipeline-shape';

export type RunEnv = Readonly<Record<string, string>>;

/** Every env placeholder in the pipeline's transforms, its delivery step and its result processing. */
export function pipelineEnvReferences(shape: PipelineShape, plan: DeliveryPlan): EnvReference[] {
  const refs: EnvReference[] = [];
  for (const { step, index } of shape.transforms) {
    for (const [, value] of compileTransformation(step.dataTransformation, `steps[${index}].dataTransformation`).fields) refs.push(...value.env);
  }
  refs.push(...plan.templated.env);
  // A database step's rows and parameters are rendered apart from its connection (host-plan.ts).
  if (plan.kind === 'database') refs.push(...(plan.perRecord?.env ?? []), ...(plan.perJob?.env ?? []));
  if (plan.resultProcessing?.storageKey) refs.push(...templateEnvReferences(plan.resultProcessing.storageKey));
  return refs;
}

/**
 * The values of the referenced names (`lookup` reads the env store; `override` wins over it, for
 * tests). Throws ENV_NOT_SET, or ENV_NAME_INVALID for a name that could never be set, when a
 * placeholder without a default has no value.
 */
export async function snapshotEnv(refs: readonly EnvReference[], lookup: (names: string[]) => Promise<Record<string, string>>, override?: Readonly<Record<string, string | undefined>>): Promise<RunEnv> {
  const names = [...new Set(refs.map((r) => r.name))];
  if (names.length === 0) return {};
  const stored = await lookup(names);
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = override && Object.hasOwn(override, name) ? override[name] : Object.hasOwn(stored, name) ? stored[name] : undefined;
    if (value !== undefined) env[name] = value;
  }
  const unmet = refs.filter((r) => !r.hasDefault && !Object.hasOwn(env, r.name));
  if (unmet.length > 0) throw unmetError(unmet);
  return env;
}

function unmetError(unmet: readonly EnvReference[]): FerryError {
  const byName = new Map<string, EnvReference[]>();
  for (const ref of unmet) byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref]);
  const invalid = [...byName.keys()].filter((name) => !isEnvName(name));
  const sentences = [...byName].map(([name, refs]) => {
    const first = refs[0]!;
    const more = refs.length > 1 ? ` (and ${refs.length - 1} more place${refs.length > 2 ? 's' : ''})` : '';
    const where = `${first.placeholder}${first.location ? ` in ${first.location}` : ''}${more}`;
    if (!isEnvName(name)) {
      return `${where} reads the environment variable "${name}", which can never be set: names are upper-case letters, digits and "_" (such as API_BASE). Rename it in the pipeline.`;
    }
    return `${where} reads the environment variable ${name}, which is not set. Set it (env.set {"name": "${name}", "value": ...}) and start again, or give the placeholder a default: {{env.${name} | default: "..."}}.`;
  });
  return new FerryError(
    invalid.length > 0 ? 'ENV_NAME_INVALID' : 'ENV_NOT_SET',
    `The run was not started: ${sentences.join(' ')}`,
    { variables: [...byName.keys()], templates: unmet.map((r) => ({ template: r.placeholder, location: r.location, variable: r.name })) },
  );
}
