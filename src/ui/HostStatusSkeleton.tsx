import { Card } from './Card';
import { Skeleton } from './Skeleton';

/** Placeholder for HostStatusCard while the first status is on its way. */
export function HostStatusSkeleton({ className }: { className?: string }) {
  return (
    <Card aria-busy="true" aria-label="Native host status" className={className} data-testid="host-status-loading">
      <span className="sr-only" role="status">Checking the native host…</span>
      <div className="mb-4 flex items-start justify-between gap-3">
        <div className="flex-1 space-y-2">
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-3 w-48" />
        </div>
        <Skeleton className="h-5 w-20 rounded-full" />
      </div>
      <div className="grid grid-cols-2 gap-2">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="space-y-2 rounded-lg bg-zinc-50 px-3 py-2.5 dark:bg-zinc-800/50">
            <Skeleton className="h-2.5 w-12" />
            <Skeleton className="h-3.5 w-16" />
          </div>
        ))}
      </div>
      <div className="mt-4 flex items-center justify-between border-t border-zinc-100 pt-3 dark:border-zinc-800">
        <Skeleton className="h-3 w-28" />
        <Skeleton className="h-8 w-24 rounded-md" />
      </div>
    </Card>
  );
}
