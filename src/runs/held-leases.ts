/**
 * Keeps the leases of every job a drive holds (claimed, being sent, not yet handed to the settle
 * writer) alive, renewing them all in one transaction every third of a lease, so a slow server (up
 * to the step's timeout) or a few in-memory retry waits never let a lease lapse and hand the batch
 * to another claimer. The timer dies with the worker, which is the point: then the leases do lapse,
 * and the batches are sent again with the same Idempotency-Keys.
 */
import type { ClaimedJob, JobQueue } from '../storage/job-queue';

export class HeldLeases {
  private readonly held = new Map<number, { job: ClaimedJob; onLost?: () => void }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private renewing = false;

  constructor(
    private readonly jobs: Pick<JobQueue, 'renewLeases'>,
    private readonly leaseMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {}

  /** Starts keeping `jobs`' leases. */
  add(jobs: readonly ClaimedJob[]): void {
    for (const job of jobs) this.held.set(job.id, { job });
    if (this.held.size > 0) this.timer ??= setInterval(() => void this.renew(), Math.max(1_000, Math.floor(this.leaseMs / 3)));
  }

  /** `onLost` is called once if the job's claim is found gone (someone else holds it now): stop working on it. */
  watch(job: ClaimedJob, onLost: () => void): void {
    this.held.set(job.id, { job, onLost });
    this.add([]);
  }

  /** Stops keeping the job's lease (it is settled, or handed to the writer, whose commit is far shorter than a lease). */
  drop(job: ClaimedJob): void {
    this.held.delete(job.id);
    if (this.held.size === 0) this.stop();
  }

  /** The jobs still held, e.g. to give back those never started. */
  list(): ClaimedJob[] {
    return [...this.held.values()].map((entry) => entry.job);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    const asked = [...this.held.values()];
    try {
      const renewed = new Set((await this.jobs.renewLeases(asked.map((entry) => entry.job), this.leaseMs)).map((job) => job.id));
      for (const entry of asked) {
        if (renewed.has(entry.job.id) || this.held.get(entry.job.id) !== entry) continue;
        this.held.delete(entry.job.id);
        entry.onLost?.();
      }
    } catch (error) {
      this.onError?.(error);
    } finally {
      this.renewing = false;
    }
  }
}
