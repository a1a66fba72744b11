/**
 * Durable pipeline runs: start a run (records mapped, validated and queued in one transaction),
 * drive it (claim, render, send with retries and breakers, settle), survive the service worker
 * stopping at any moment. The background uses `createRunService` (run-service.ts).
 *
 * Decisions worth knowing before changing anything here:
 * - Shape: zero or more transform steps, then one http or graphql step, last (pipeline-shape.ts).
 * - Records are mapped at start and the mapped records are queued; a mapping may not read
 *   credentials (they would be stored). The run keeps its pipeline (run-definition.ts) and the
 *   `{{env.NAME}}` values it read at start (run-env.ts): resumes and replays render with those.
 * - One Idempotency-Key per job, `<runId>:<seq>`, fixed at start; a partially failed GraphQL batch's
 *   dead letter gets `<key>:failed`. Keys never change on retry, resume or replay.
 * - Attempts are counted across claims in the job's last outcome (job-attempts.ts); a claim that
 *   died mid-request counts as one.
 * - An http step with `pagination` is a paginated read (read-pages.ts): per job, the rendered request
 *   is page 1 and the pages after it follow until the complete-when rule or the natural end. Each
 *   page goes through sendBatch (retry budget per page, breaker, audit) and is stored with its items'
 *   results (resultProcessing per item, under its own key) and the job's checkpoint in ONE
 *   transaction (save-page.ts); a job claimed again continues from its checkpoint and never reads a
 *   stored page twice. Page n > 1 sends the key `<key>:page-n`. `sent` adds the job's input records
 *   when its read completes (pages and items are in the job's outcome); a dead letter keeps the
 *   checkpoint in `details.read`, and a replay reads from page 1 again (cursors and links expire).
 *   Without completeWhen.maxPages a read stops at DEFAULT_MAX_PAGES (PAGINATION_TOO_MANY_PAGES).
 * - Every failure that is not retried later ends in the dead-letter list (replayable); a run with
 *   dead letters ends `failed`, with `error.code` RUN_COMPLETED_WITH_FAILURES when some records were
 *   delivered (the "succeeded with failures" case) or RUN_NOTHING_DELIVERED (finalize-run.ts). A run
 *   with nothing delivered and nothing failed (all rejected, none extracted) ends `nothingSent`.
 */
export { createRunService, type RunService, type RunServiceDeps, type RunSummary } from './run-service';
export { startRun, splitIntoBatches } from './start-run';
export { drive, DEFAULT_MAX_WORK_MS } from './drive';
export { alarmScheduler, DRIVE_ALARM, MIN_ALARM_DELAY_MS, type AlarmsLike } from './scheduler';
export { vaultResolver } from './vault-resolver';
export { pipelineShape, type DeliveryStep, type PipelineShape } from './pipeline-shape';
export { DEFAULT_DEFER_AFTER_MS } from './send-batch';
export { DEFAULT_MAX_PAGES, DEFAULT_READ_SLICE_MS } from './read-pages';
export { deletePipeline, getPipeline, listPipelines, pipelineToStart, savePipeline, type PipelineSummary, type SavePipelineInput } from './saved-pipelines';
export { nothingSentAdvice, nothingSentReason, RUN_NOTHING_SENT } from './nothing-sent';
export { deadLetterTarget, type DeadLetterTarget } from './dead-letter-target';
export type { DriveOptions, DriveResult, DriveScheduler, RunDeps, RunRepositories, RunSource, StartRunInput } from './types';
