import type { ReactNode } from 'react';
import { backgroundSend, type BackgroundSend } from '../../background';
import { Card } from '../../Card';
import { RichText } from '../../RichText';
import { AuditLogCard } from './AuditLogCard';
import { GrantedFoldersCard } from './GrantedFoldersCard';

/**
 * Options → Settings: the audit log's retention, bodies and export; the folders granted to the host
 * (read-only: granting is done in a terminal); and where everything else is configured.
 */
export function SettingsSection({ send = backgroundSend }: { send?: BackgroundSend }) {
  return (
    <div className="space-y-4">
      <AuditLogCard send={send} />
      <GrantedFoldersCard send={send} />
      <Card title="Where Ferry is configured" description="Everything else is set where it applies." data-testid="settings-where">
        <dl className="divide-y divide-zinc-100 text-[13px] dark:divide-zinc-800">
          <Row term="Retries, timeouts, circuit breakers, batching">
            <RichText text="Per pipeline, in its delivery step: `retryStrategy`, `circuitBreaker`, `batching`, `responseProcessing`, as the configuration you paste writes them." />
          </Row>
          <Row term="Secrets and variables">
            Tokens and passwords in the vault, base addresses and other plain values as environment variables:{' '}
            <a href="#/credentials" className="font-medium text-sky-700 hover:underline dark:text-sky-400">
              Credentials
            </a>
            .
          </Row>
          <Row term="Folders for file steps">Granted from a terminal (above).</Row>
          <Row term="Where the host keeps its data">
            <RichText text="The `FERRY_HOME` environment variable of the browser that starts the host; the Overview section shows the folder in use." />
          </Row>
          <Row term="Installing the host">
            <RichText text="`npm run host:install` (or `npx ferry-host install`) registers the host with your browsers; `npx ferry-host info` says what is installed." />
          </Row>
          <Row term="Appearance">Follows your system’s light or dark setting.</Row>
        </dl>
      </Card>
    </div>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 first:pt-0 last:pb-0 sm:grid-cols-[14rem_1fr] sm:gap-4">
      <dt className="font-medium text-zinc-800 dark:text-zinc-200">{term}</dt>
      <dd className="text-zinc-600 dark:text-zinc-400">{children}</dd>
    </div>
  );
}
