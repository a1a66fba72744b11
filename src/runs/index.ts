/**
 * Durable pipeline runs: start a run (records mapped, validated and queued in one transaction),
 * drive it (claim, render, send with retries and breakers, settle), survive the service worker
 * stopping at any moment. The background uses `createRunService`; see run-service.ts.
 */
export { createRunService, type RunService, type RunServiceDeps, type RunSummary } from './run-service';
export { startRun, splitIntoBatches } from './start-run';
export { drive, DEFAULT_MAX_WORK_MS } from './drive';
export { alarmScheduler, DRIVE_ALARM, MIN_ALARM_DELAY_MS, type AlarmsLike } from './scheduler';
export { vaultResolver } from './vault-resolver';
export { pipelineShape, type DeliveryStep, type PipelineShape } from './pipeline-shape';
export { DEFAULT_DEFER_AFTER_MS } from './send-batch';
export type { DriveOptions, DriveResult, DriveScheduler, RunDeps, RunRepositories, RunSource, StartRunInput } from './types';
