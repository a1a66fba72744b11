/**
 * Starts a run: validates the pipeline and its shape, maps and validates every record, and stores
 * the run, its rejects and all its jobs in ONE transaction, so a worker that stops mid-start leaves
 * either a complete run or nothing. Each job's Idempotency-Key is fixed here (`<runId>:<seq>`) and
 * never changes: retries, resumes and dead-letter replays all send it as stored.
 */
import { parsePipeline, type Batching } from '../pipeline';
import { FerryError } from '../errors/ferry-error';
import { planDelivery, type DeliveryPlan } from './delivery-plan';
import { pipelineShape } from './pipeline-shape';
import { prepareRecords } from './prepare-records';
import { urlRejectCheck } from './url-rejects';
import { saveDefinition } from './run-definition';
import { pipelineEnvReferences, snapshotEnv } from './run-env';
import { pipelineToStart } from './saved-pipelines';
import type { RunDeps, StartRunInput } from './types';

/**
 * Returns the run id. Throws (creating nothing) on a request naming neither or both of `pipeline`
 * and `pipelineId` (RUN_START_INVALID), an unknown saved pipeline (PIPELINE_NOT_FOUND), an invalid
 * pipeline (PIPELINE_INVALID ...), an unsupported shape (PIPELINE_UNSUPPORTED_SHAPE), an env
 * variable it reads that is not set (ENV_NOT_SET), or a template error that is not about one record.
 * With `runId` of a run that exists already, returns it and changes nothing.
 */
export async function startRun(deps: RunDeps, input: StartRunInput): Promise<string> {
  const { db, runs, jobs, rejects, pipelines, env: envStore } = deps.repos;
  // A repeated start (a message retried after the worker stopped) must not fail on what changed since.
  if (input.runId !== undefined && (await runs.get(input.runId))) return input.runId;
  const pipeline = parsePipeline(await pipelineToStart(pipelines, input));
  // The name the user knows it by: the saved row's when started by id (it is what the list shows).
  const pipelineName = (input.pipelineId ? (await pipelines.get(input.pipelineId))?.name : undefined) ?? pipeline.name;
  const shape = pipelineShape(pipeline);
  const plan = planDelivery(shape); // refuses a delivery step that could never be sent, before anything is queued
  const env = await snapshotEnv(pipelineEnvReferences(shape, plan), (names) => envStore.values(names), deps.env);
  const source = input.source ?? {};
  const now = (deps.now ?? Date.now)();
  const checkRecord = urlRejectCheck(plan, source, { now, env });
  const { accepted, acceptedIndexes, rejected } = prepareRecords(shape, input.records, { source, now, env, ...(checkRecord ? { checkRecord } : {}) });
  const runId = input.runId ?? crypto.randomUUID();
  refuseSplitFile(plan, accepted.length);
  const indexes = splitIntoBatches(acceptedIndexes, plan.batching);
  const batches = splitIntoBatches(accepted, plan.batching).map((records, seq) => ({ records, recordIndexes: indexes[seq]!, idempotencyKey: `${runId}:${seq}` }));

  await db.transaction('rw', [db.runs, db.runDefinitions, db.jobs, db.rejects], async () => {
    if (await runs.get(runId)) return;
    const run = await runs.create({ id: runId, pipelineId: pipeline.id, pipelineName });
    await saveDefinition(db, run, { pipeline, source, env });
    if (rejected.length > 0) await rejects.add(runId, rejected);
    await jobs.enqueue(runId, batches, { counts: { extracted: input.records.length } });
  });
  return runId;
}

/** A write that replaces one fixed file holds the whole run in one job (host-plan.ts); more records than a job holds would overwrite each other. */
function refuseSplitFile(plan: DeliveryPlan, records: number): void {
  if (plan.kind !== 'file' || !plan.singleJob || plan.batching.mode !== 'batch' || records <= plan.batching.size) return;
  const path = plan.step.file.filePath ?? plan.step.file.path ?? '';
  throw new FerryError(
    'RUN_TOO_LARGE_FOR_FILE',
    `The run was not started: ${plan.location} writes all ${records} records into one file, "${path}", and one write holds at most ${plan.batching.size}. Put {{uuid}} in the path and set "batching" (one file per batch), or set "append": true with a .csv or .ndjson file.`,
    { records, limit: plan.batching.size, location: plan.location },
  );
}

/** record: one record per job; batch: `size` records per job, the last one holding the rest. */
export function splitIntoBatches<T>(records: readonly T[], batching: Batching): T[][] {
  const size = batching.mode === 'batch' ? batching.size : 1;
  const batches: T[][] = [];
  for (let i = 0; i < records.length; i += size) batches.push(records.slice(i, i + size));
  return batches;
}
