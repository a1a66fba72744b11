/**
 * Hands the drive's lanes their next job of a run. Jobs are claimed several at a time and the next
 * claim starts while the lanes still have jobs in hand, so a lane never waits for a claim queued
 * behind the settlements being committed (a readwrite transaction costs a millisecond or two).
 * A claim made because a lane is waiting counts its first jobs (one per lane) as attempts; the rest,
 * and every claim made ahead, are `claimedAhead` and uncounted (job-queue.ts claimMany), so a worker
 * that dies with jobs in hand does not charge them attempts they never made.
 */
import type { ClaimedJob, JobQueue } from '../storage/job-queue';
import type { HeldLeases } from './held-leases';

export class ClaimBuffer {
  private readonly ready = new Map<string, ClaimedJob[]>();
  private readonly claiming = new Map<string, Promise<void>>();

  constructor(
    private readonly jobs: Pick<JobQueue, 'claimMany'>,
    private readonly held: HeldLeases,
    private readonly options: { owner: string; lanes: number; batch: number; leaseMs?: number },
  ) {}

  /** The run's next job, or undefined when it has none runnable now. */
  async next(runId: string): Promise<ClaimedJob | undefined> {
    for (;;) {
      const job = this.ready.get(runId)?.shift();
      if (job) {
        if ((this.ready.get(runId)?.length ?? 0) < this.options.lanes && !this.claiming.has(runId)) {
          // A failed claim ahead is not this lane's problem: the next lane to find nothing claims again.
          void this.claim(runId, 0).catch(() => undefined);
        }
        return job;
      }
      const inProgress = this.claiming.get(runId);
      if (inProgress) {
        await inProgress;
        continue;
      }
      const claimed = await this.claim(runId, this.options.lanes);
      if (claimed === 0) return this.ready.get(runId)?.shift();
    }
  }

  /** Jobs claimed and not handed out (a drive ending): to be given back. */
  async unclaimed(): Promise<ClaimedJob[]> {
    await Promise.allSettled([...this.claiming.values()]);
    const left = [...this.ready.values()].flat();
    this.ready.clear();
    return left;
  }

  /** Claims the next `batch` jobs of the run, the first `charge` of them counted as attempts. */
  private async claim(runId: string, charge: number): Promise<number> {
    let count = 0;
    const claim = (async () => {
      const claimed = await this.jobs.claimMany(runId, this.options.owner, this.options.batch, { charge, ...(this.options.leaseMs !== undefined ? { leaseMs: this.options.leaseMs } : {}) });
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
