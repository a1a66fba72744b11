import { useEffect, useState } from 'react';
import { Badge } from '../../Badge';
import { Button } from '../../Button';
import type { DatabaseStepReach, FileStepReach } from './hostStepReach';
import type { PipelineReach } from './pipelineReach';
import type { PipelinesClient } from './pipelinesClient';
import { revealText, type RevealedText } from './revealText';
import { Revealed, sizeWords } from './RevealedText';

/**
 * What the pipeline will touch: hosts, databases, files, credentials, env variables, pages; then
 * every database statement, bound value and file path in full (wrapped, never cut or scrolled, hidden
 * characters and long gaps made visible by `revealText`), with warnings for flags that let a step do
 * more than read and write rows. For each
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

// No max-height: a payload after many blank lines must not sit below a scroll box's fold (the gaps
// are collapsed into markers instead). bidi-override shows the characters in the order they are
// stored, which is the order the database reads them.
const code = 'mt-1 [unicode-bidi:bidi-override] rounded-md bg-zinc-50 px-2.5 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words text-zinc-900 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-800';

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
      {warnings.map((w, i) => (
        <li key={i} data-testid="reach-warning" className="flex gap-1.5 text-amber-900 dark:text-amber-200">
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

/** The reviewed text in its block, its size under it. */
function Block({ revealed, testId }: { revealed: RevealedText; testId: string }) {
  return (
    <>
      <pre className={code} dir="ltr" data-testid={testId}>
        <Revealed revealed={revealed} />
      </pre>
      <p className="mt-0.5 text-[11px] text-zinc-500 dark:text-zinc-400" data-testid="reach-size">{sizeWords(revealed)}</p>
    </>
  );
}

function DatabaseStep({ step }: { step: DatabaseStepReach }) {
  const sql = step.sql === undefined ? undefined : revealText(step.sql, 'This statement');
  const parameters = (step.parameters ?? []).map(([p, value]) => [p, revealText(value, p === '' ? 'The bound value' : `The value of ${p}`)] as const);
  const warnings = [...(sql?.warnings ?? []), ...parameters.flatMap(([, r]) => r.warnings), ...step.warnings];
  return (
    <div className="mt-2 border-l-2 border-zinc-200 pl-3 dark:border-zinc-700" data-testid="reach-database-step">
      <StepHeading step={step.step} what={step.operation} where={step.target} />
      <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">{step.summary}{step.sql === undefined ? '.' : ':'}</p>
      {sql !== undefined && <Block revealed={sql} testId="reach-sql" />}
      {parameters.length > 0 && (
        <div className="mt-1.5" data-testid="reach-parameters">
          <p className="text-zinc-600 dark:text-zinc-400">Values it fills in (sent separately from the statement, never spliced into it):</p>
          <dl className="mt-0.5 grid grid-cols-[max-content_1fr_max-content] gap-x-2 font-mono text-xs">
            {parameters.map(([placeholder, value]) => (
              <div key={placeholder} className="contents">
                <dt className="text-zinc-500 dark:text-zinc-400">{placeholder}</dt>
                <dd dir="ltr" className="min-w-0 [unicode-bidi:bidi-override] break-all whitespace-pre-wrap text-zinc-900 dark:text-zinc-100"><Revealed revealed={value} /></dd>
                <dd className="font-sans text-[11px] text-zinc-500 dark:text-zinc-400" data-testid="reach-size">{sizeWords(value)}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      <Details details={step.details} />
      <Warnings warnings={warnings} />
    </div>
  );
}

function FileStep({ step }: { step: FileStepReach }) {
  const path = revealText(step.path, 'This path', { singleLine: true });
  const resolved = step.resolvedPath === undefined ? undefined : revealText(step.resolvedPath, 'This path with your variables', { singleLine: true });
  const warnings = [...path.warnings, ...(resolved?.warnings ?? []), ...step.warnings];
  return (
    <div className="mt-2 border-l-2 border-zinc-200 pl-3 dark:border-zinc-700" data-testid="reach-file-step">
      <p className="text-zinc-800 dark:text-zinc-200">
        <span className="font-medium">{step.step}</span> · {step.summary}:
      </p>
      <Block revealed={path} testId="reach-file-path" />
      {resolved !== undefined && (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          With your variables:{' '}
          <code dir="ltr" className="font-mono text-xs [unicode-bidi:bidi-override] break-all whitespace-pre-wrap text-zinc-900 dark:text-zinc-100">
            <Revealed revealed={resolved} />
          </code>
        </p>
      )}
      <Details details={step.details} />
      <Warnings warnings={warnings} />
    </div>
  );
}
