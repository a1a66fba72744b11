/**
 * Hands the drive's lanes their next job of a run. Lanes asking at the same time share one claim
 * transaction (up to one job per lane); a job claimed for a lane that found work elsewhere waits
 * here for the next lane. Claiming more than the lanes can start is avoided on purpose: a claim
 * that dies with its worker counts as an attempt (job-attempts.ts), so claims far ahead of sending
 * would cost batches attempts they never made.
 */
import type { ClaimedJob, JobQueue } from '../storage/job-queue';
import type { HeldLeases } from './held-leases';

export class ClaimBuffer {
  private readonly ready = new Map<string, ClaimedJob[]>();
  private readonly claiming = new Map<string, Promise<void>>();

  constructor(
    private readonly jobs: Pick<JobQueue, 'claimMany'>,
    private readonly held: HeldLeases,
    private readonly options: { owner: string; batch: number; leaseMs?: number },
  ) {}

  /** The run's next job, or undefined when it has none runnable now. */
  async next(runId: string): Promise<ClaimedJob | undefined> {
    for (;;) {
      const job = this.ready.get(runId)?.shift();
      if (job) return job;
      const inProgress = this.claiming.get(runId);
      if (inProgress) {
        await inProgress;
        continue;
      }
      const claimed = await this.claim(runId);
      if (claimed === 0) return this.ready.get(runId)?.shift();
    }
  }

  /** Jobs claimed and not handed out (a drive ending): to be given back. */
  unclaimed(): ClaimedJob[] {
    const left = [...this.ready.values()].flat();
    this.ready.clear();
    return left;
  }

  private async claim(runId: string): Promise<number> {
    let count = 0;
    const claim = (async () => {
      const claimed = await this.jobs.claimMany(runId, this.options.owner, this.options.batch, this.options.leaseMs !== undefined ? { leaseMs: this.options.leaseMs } : {});
      this.held.add(claimed);
      this.ready.set(runId, [...(this.ready.get(runId) ?? []), ...claimed]);
      count = claimed.length;
    })();
    this.claiming.set(runId, claim);
    try {
      await claim;
    } finally {
      this.claiming.delete(runId);
    }
    return count;
  }
}
