import { useEffect, useMemo, useState } from 'react';
import type { IntegrationHealth, IntegrationTestResult } from '../../../integrations/saved/types';
import type { IntegrationRow } from '../../../storage/rows';
import { errorMessage } from '../../background';
import { Badge } from '../../Badge';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { ConfirmButton } from '../../ConfirmButton';
import { breakerBadge, lastTestLabel } from '../../integrationHealthText';
import { formatFullTime, formatWhen } from '../../runs/runFormat';
import { mutedClass } from '../../table';
import type { Loaded } from '../../useLoader';
import { ListState } from '../runs/ListState';
import { KIND_LABELS } from './IntegrationForm';
import { originPattern, type IntegrationsClient } from './integrationsClient';

export interface IntegrationsCardProps {
  client: IntegrationsClient;
  integrations: Loaded<IntegrationRow[]>;
  health: Loaded<IntegrationHealth[]>;
  env: Record<string, string>;
  onAdd(): void;
  onEdit(row: IntegrationRow): void;
  onDeleted(): void;
}

/** Where an integration points, without anything secret (configs hold references only). */
export function targetOf(row: IntegrationRow): string {
  if (row.kind === 'rest') return row.config.baseUrl;
  if (row.kind === 'graphql') return row.config.endpoint;
  const c = row.config.connectionConfig;
  if (c.type === 'sqlite') return `SQLite ${c.database ?? 'default'} (host’s data folder)`;
  return `PostgreSQL ${c.host ?? 'localhost'}:${c.port ?? 5432}/${c.database ?? ''}`;
}

/** The list: kind, target, health (circuit and last test), Test connection, Edit, Delete. */
export function IntegrationsCard({ client, integrations, health, env, onAdd, onEdit, onDeleted }: IntegrationsCardProps) {
  const [deleting, setDeleting] = useState<string>();
  const [notice, setNotice] = useState<{ tone: 'info' | 'danger'; text: string }>();
  const byId = useMemo(() => new Map((health.value ?? []).map((h) => [h.id, h])), [health.value]);

  const remove = async (row: IntegrationRow) => {
    setDeleting(row.id);
    setNotice(undefined);
    try {
      await client.remove(row.id);
      setNotice({ tone: 'info', text: `Deleted ${row.name}. Pipelines that copied it keep their own copy.` });
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setDeleting(undefined);
      onDeleted();
    }
  };

  return (
    <Card
      title="Endpoints and connections"
      description="REST and GraphQL APIs and databases that pipelines deliver to. Test one to see whether Ferry reaches it with its credentials."
      aside={
        <Button onClick={onAdd} className="shrink-0 whitespace-nowrap" data-testid="integration-add">
          Add integration
        </Button>
      }
      data-testid="integrations"
    >
      {notice && <Callout tone={notice.tone} title={notice.text} className="mb-3" data-testid="integrations-notice" />}
      <ListState loaded={integrations} empty="No integrations yet. Add a REST or GraphQL endpoint or a database connection, then pick it in a pipeline’s delivery step." testId="integrations">
        <ul className="-mx-4 divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="integrations-list">
          {integrations.value?.map((row) => (
            <IntegrationItem key={row.id} row={row} health={byId.get(row.id)} client={client} env={env} onEdit={() => onEdit(row)} onTested={() => void health.reload()}>
              <ConfirmButton
                label="Delete"
                ariaLabel={`Delete ${row.name}`}
                question={`Delete ${row.name}?`}
                confirmLabel="Delete"
                busy={deleting === row.id}
                onConfirm={() => void remove(row)}
                data-testid="integration-delete"
              />
            </IntegrationItem>
          ))}
        </ul>
      </ListState>
    </Card>
  );
}

function IntegrationItem({ row, health, client, env, onEdit, onTested, children }: { row: IntegrationRow; health?: IntegrationHealth; client: IntegrationsClient; env: Record<string, string>; onEdit(): void; onTested(): void; children: React.ReactNode }) {
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<IntegrationTestResult | { failure: string }>();
  const breaker = breakerBadge(health?.breaker.state ?? 'closed');
  const lastTest = health?.lastTest ?? row.lastTest;
  const test = async () => {
    setTesting(true);
    setResult(undefined);
    try {
      setResult(await client.test(row.id));
    } catch (error) {
      setResult({ failure: errorMessage(error) });
    } finally {
      setTesting(false);
      onTested();
    }
  };
  return (
    <li className="px-4 py-3" data-testid="integration-row" data-id={row.id} data-kind={row.kind}>
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2">
            <span className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{row.name}</span>
            <Badge tone="blue" data-testid="integration-kind">
              {KIND_LABELS[row.kind]}
            </Badge>
            <span className={`font-mono text-[11px] ${mutedClass}`}>{row.id}</span>
          </p>
          <p className="mt-0.5 font-mono text-xs break-all text-zinc-600 dark:text-zinc-400" data-testid="integration-target">
            {targetOf(row)}
          </p>
          <p className="mt-1.5 flex flex-wrap items-center gap-1.5" data-testid="integration-health">
            <Badge tone={breaker.tone} dot title={`${breaker.title}${health?.breaker.key ? ` (${health.breaker.key})` : ''}`} data-testid="integration-breaker" data-state={health?.breaker.state ?? 'closed'}>
              {breaker.label}
            </Badge>
            <Badge tone={!lastTest ? 'neutral' : lastTest.ok && !lastTest.warning ? 'green' : lastTest.reachable ? 'amber' : 'red'} title={lastTest ? `${formatFullTime(lastTest.at)}${lastTest.warning ? `\n${lastTest.warning}` : ''}` : undefined} data-testid="integration-last-test">
              {lastTestLabel(lastTest)}
              {lastTest && <span className="font-normal opacity-75">· {formatWhen(lastTest.at)}</span>}
            </Badge>
            {row.kind !== 'database' && <AllowOrigin url={row.kind === 'rest' ? row.config.baseUrl : row.config.endpoint} env={env} client={client} />}
          </p>
        </div>
        <div className="flex flex-wrap items-center justify-end gap-2">
          <Button variant="secondary" busy={testing} busyLabel="Testing…" onClick={() => void test()} aria-label={`Test connection to ${row.name}`} data-testid="integration-test">
            Test connection
          </Button>
          <Button variant="secondary" onClick={onEdit} aria-label={`Edit ${row.name}`} data-testid="integration-edit">
            Edit
          </Button>
          {children}
        </div>
      </div>
      {result && <TestResult result={result} />}
    </li>
  );
}

function TestResult({ result }: { result: IntegrationTestResult | { failure: string } }) {
  if ('failure' in result) {
    return (
      <Callout tone="danger" title="Could not test" className="mt-2" data-testid="integration-test-result">
        {result.failure}
      </Callout>
    );
  }
  const tone = result.ok ? (result.warning ? 'warning' : 'info') : result.reachable ? 'warning' : 'danger';
  return (
    <div data-testid="integration-test-result" data-ok={String(result.ok)} aria-live="polite">
      <Callout tone={tone} title={`${result.detail} · ${result.latencyMs} ms`} className="mt-2">
        {result.error}
        {result.warning && <p data-testid="integration-test-warning">{result.warning}</p>}
      </Callout>
    </div>
  );
}

/** "Allow" for an API's origin when Ferry may not reach it yet; the request happens inside the click. */
export function AllowOrigin({ url, env, client }: { url: string; env: Record<string, string>; client: IntegrationsClient }) {
  const origin = originPattern(url, env);
  const [allowed, setAllowed] = useState<boolean>();
  useEffect(() => {
    let live = true;
    if (origin) client.allowedOrigins([origin]).then((a) => live && setAllowed(a.length > 0), () => live && setAllowed(false));
    return () => void (live = false);
  }, [client, origin]);
  if (!origin || allowed === undefined) return null;
  if (allowed) {
    return (
      <Badge tone="green" title={`Ferry may reach ${origin.replace('/*', '')} directly.`}>
        Access allowed
      </Badge>
    );
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge tone="amber" title="Without access Ferry reaches only APIs that allow it through CORS.">
        Not allowed yet
      </Badge>
      <button
        type="button"
        className="rounded text-xs font-medium text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-sky-400"
        onClick={() => void client.requestOrigins([origin]).then((granted) => granted && setAllowed(true), () => undefined)}
        aria-label={`Allow Ferry to reach ${origin.replace('/*', '')}`}
        data-testid="integration-allow"
      >
        Allow
      </button>
    </span>
  );
}
