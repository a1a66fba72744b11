import type { ReactNode } from 'react';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Skeleton } from '../../Skeleton';
import { mutedClass } from '../../table';
import type { Loaded } from '../../useLoader';

/** Loading, error and empty states of a list, the same everywhere; `children` when there is something to show. */
export function ListState<T>({ loaded, empty, testId, children }: { loaded: Loaded<T[]>; empty: ReactNode; testId: string; children: ReactNode }) {
  if (loaded.loading) {
    return (
      <div className="space-y-2" role="status" aria-label="Loading" data-testid={`${testId}-loading`}>
        <Skeleton className="h-6 w-full" />
        <Skeleton className="h-6 w-4/5" />
      </div>
    );
  }
  if (loaded.error && !loaded.value) {
    return (
      <Callout tone="danger" title="Could not load this list" data-testid={`${testId}-error`}>
        <p>{loaded.error}</p>
        <Button variant="secondary" className="mt-2" onClick={() => void loaded.reload()}>
          Try again
        </Button>
      </Callout>
    );
  }
  if (!loaded.value || loaded.value.length === 0) {
    return (
      <p className={`text-sm ${mutedClass}`} data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  }
  return <>{children}</>;
}
