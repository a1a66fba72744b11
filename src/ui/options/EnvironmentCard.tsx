import type { HostStatus } from '../../messaging/contract';
import { Badge } from '../Badge';
import { Card } from '../Card';

/** Where the host keeps its data and which method namespaces it offers. */
export function EnvironmentCard({ status }: { status?: HostStatus }) {
  const capabilities = status?.capabilities ?? [];
  return (
    <Card title="Host environment" description="Reported by the native host on its last check." data-testid="host-environment">
      <dl className="space-y-4">
        <div>
          <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Data directory</dt>
          <dd className="mt-1" data-testid="host-data-dir">
            {status?.dataDir ? (
              <code className="block rounded-md bg-zinc-50 px-3 py-2 break-all text-zinc-800 select-all ring-1 ring-zinc-200/70 ring-inset dark:bg-zinc-800/50 dark:text-zinc-200 dark:ring-zinc-700/50">
                {status.dataDir}
              </code>
            ) : (
              <span className="text-sm text-zinc-500 dark:text-zinc-400">Shown once the host is connected.</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Capabilities{capabilities.length > 0 && ` (${capabilities.length})`}
          </dt>
          <dd className="mt-1.5" data-testid="host-capabilities">
            {capabilities.length > 0 ? (
              <ul className="flex flex-wrap gap-1.5" aria-label="Host capabilities">
                {capabilities.map((name) => (
                  <li key={name}>
                    <Badge tone="neutral" className="font-mono">
                      {name}
                    </Badge>
                  </li>
                ))}
              </ul>
            ) : (
              <span className="text-sm text-zinc-500 dark:text-zinc-400">Listed once the host is connected.</span>
            )}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
