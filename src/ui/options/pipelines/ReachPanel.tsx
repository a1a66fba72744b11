import { useEffect, useState } from 'react';
import { Badge } from '../../Badge';
import { Button } from '../../Button';
import type { PipelineReach } from './pipelineReach';
import type { PipelinesClient } from './pipelinesClient';

/**
 * What the pipeline will touch: hosts, databases, files, credentials, env variables, pages. For each
 * API origin, whether Ferry may reach it directly; "Allow" asks the browser for that origin only
 * (without it, only APIs that answer CORS for Ferry can be reached).
 */
export function ReachPanel({ reach, client }: { reach: PipelineReach; client: PipelinesClient }) {
  const [allowed, setAllowed] = useState<string[] | undefined>();
  const originsKey = reach.origins.join(' ');
  useEffect(() => {
    let live = true;
    client.allowedOrigins(reach.origins).then((a) => live && setAllowed(a), () => live && setAllowed([]));
    return () => void (live = false);
  }, [client, originsKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const missing = reach.origins.filter((o) => !allowed?.includes(o));
  const rows: [string, string[]][] = [
    ['Calls', reach.hosts],
    ['Databases', reach.databases],
    ['Files', reach.files],
    ['Credentials read', reach.credentials],
    ['Environment variables', reach.env],
    ['Offered on', reach.pages.length > 0 ? reach.pages : ['every page (no "match")']],
  ];
  return (
    <div data-testid="pipeline-reach" className="rounded-lg border border-zinc-200 p-3 text-[13px] dark:border-zinc-800">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">What this pipeline touches</p>
      <dl className="mt-2 grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1.5">
        {rows
          .filter(([, values]) => values.length > 0)
          .map(([label, values]) => (
            <div key={label} className="contents">
              <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
              <dd className="min-w-0 font-mono text-xs break-all text-zinc-800 dark:text-zinc-200">{values.join(', ')}</dd>
            </div>
          ))}
      </dl>
      {reach.origins.length > 0 && allowed !== undefined && (
        <div className="mt-3 flex flex-wrap items-center gap-2">
          {missing.length === 0 ? (
            <Badge tone="green" dot>
              Ferry may reach {reach.origins.length === 1 ? 'this API' : 'these APIs'} directly
            </Badge>
          ) : (
            <>
              <Badge tone="amber">Not allowed yet: {missing.map((o) => o.replace('/*', '')).join(', ')}</Badge>
              <Button
                variant="secondary"
                data-testid="allow-origins"
                onClick={() => {
                  // Called in the click itself: the browser refuses a permission request made later.
                  void client.requestOrigins(missing).then((granted) => granted && setAllowed([...(allowed ?? []), ...missing]));
                }}
              >
                Allow
              </Button>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">Without it Ferry reaches only APIs that allow it through CORS.</span>
            </>
          )}
        </div>
      )}
    </div>
  );
}
