import { useEffect, useState } from 'react';
import { Badge } from '../../Badge';
import { Button } from '../../Button';
import type { DatabaseStepReach, FileStepReach } from './hostStepReach';
import type { PipelineReach } from './pipelineReach';
import type { PipelinesClient } from './pipelinesClient';

/**
 * What the pipeline will touch: hosts, databases, files, credentials, env variables, pages; then
 * every database statement and file path verbatim (wrapped, never cut), with warnings for flags that
 * let a step do more than read and write rows. For each
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
      {reach.databaseSteps.length > 0 && (
        <section className="mt-3" data-testid="reach-database-steps">
          <h4 className="font-medium text-zinc-900 dark:text-zinc-100">Database {reach.databaseSteps.length === 1 ? 'step' : 'steps'}: exactly what will run</h4>
          {reach.databaseSteps.map((step) => (
            <DatabaseStep key={step.step} step={step} />
          ))}
        </section>
      )}
      {reach.fileSteps.length > 0 && (
        <section className="mt-3" data-testid="reach-file-steps">
          <h4 className="font-medium text-zinc-900 dark:text-zinc-100">File {reach.fileSteps.length === 1 ? 'step' : 'steps'}: exactly where it writes</h4>
          {reach.fileSteps.map((step) => (
            <FileStep key={step.step} step={step} />
          ))}
        </section>
      )}
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

const code = 'mt-1 max-h-96 overflow-y-auto rounded-md bg-zinc-50 px-2.5 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words text-zinc-900 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-800';

function StepHeading({ step, what, where }: { step: string; what: string; where: string }) {
  return (
    <p className="text-zinc-800 dark:text-zinc-200">
      <span className="font-medium">{step}</span> · {what} · <span className="font-mono text-xs break-all">{where}</span>
    </p>
  );
}

function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="mt-1.5 space-y-1">
      {warnings.map((w) => (
        <li key={w} data-testid="reach-warning" className="flex gap-1.5 text-amber-900 dark:text-amber-200">
          <span aria-hidden="true">⚠</span>
          <span>{w}</span>
        </li>
      ))}
    </ul>
  );
}

function Details({ details }: { details: string[] }) {
  if (details.length === 0) return null;
  return (
    <ul className="mt-1 list-disc pl-5 text-zinc-700 dark:text-zinc-300">
      {details.map((d) => (
        <li key={d}>{d}</li>
      ))}
    </ul>
  );
}

function DatabaseStep({ step }: { step: DatabaseStepReach }) {
  return (
    <div className="mt-2 border-l-2 border-zinc-200 pl-3 dark:border-zinc-700" data-testid="reach-database-step">
      <StepHeading step={step.step} what={step.operation} where={step.target} />
      <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">{step.summary}{step.sql === undefined ? '.' : ':'}</p>
      {step.sql !== undefined && (
        <pre className={code} data-testid="reach-sql">
          {step.sql}
        </pre>
      )}
      {step.parameters !== undefined && step.parameters.length > 0 && (
        <div className="mt-1.5" data-testid="reach-parameters">
          <p className="text-zinc-600 dark:text-zinc-400">Values it fills in (sent separately from the statement, never spliced into it):</p>
          <dl className="mt-0.5 grid grid-cols-[max-content_1fr] gap-x-2 font-mono text-xs">
            {step.parameters.map(([placeholder, value]) => (
              <div key={placeholder} className="contents">
                <dt className="text-zinc-500 dark:text-zinc-400">{placeholder}</dt>
                <dd className="min-w-0 break-all text-zinc-900 dark:text-zinc-100">{value}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      <Details details={step.details} />
      <Warnings warnings={step.warnings} />
    </div>
  );
}

function FileStep({ step }: { step: FileStepReach }) {
  return (
    <div className="mt-2 border-l-2 border-zinc-200 pl-3 dark:border-zinc-700" data-testid="reach-file-step">
      <p className="text-zinc-800 dark:text-zinc-200">
        <span className="font-medium">{step.step}</span> · {step.summary}:
      </p>
      <pre className={code} data-testid="reach-file-path">
        {step.path}
      </pre>
      {step.resolvedPath !== undefined && (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          With your variables: <code className="font-mono text-xs break-all text-zinc-900 dark:text-zinc-100">{step.resolvedPath}</code>
        </p>
      )}
      <Details details={step.details} />
      <Warnings warnings={step.warnings} />
    </div>
  );
}
