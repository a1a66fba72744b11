import type { ReactNode } from 'react';
import type { GrantedRootInfo } from '../../../protocol/catalogue-fs';
import { backgroundSend, type BackgroundSend } from '../../background';
import { Badge } from '../../Badge';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { RichText } from '../../RichText';
import { Skeleton } from '../../Skeleton';
import { mutedClass, tableClass, tdClass, thClass } from '../../table';
import { useLoader } from '../../useLoader';

interface RootsAnswer {
  roots: GrantedRootInfo[];
  limits: { maxReadBytes: number; maxWriteBytes: number };
}

/** Asks the host which folders it may use (`fs.roots`); a host error becomes a thrown message. */
async function loadRoots(send: BackgroundSend): Promise<RootsAnswer> {
  const outcome = await send('host.call', { method: 'fs.roots', params: {}, timeoutMs: 5000 });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result as RootsAnswer;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;

/**
 * Options → Settings. Ferry has no global settings yet: this says honestly what is configurable
 * today and where, and lists the folders granted to the host (read-only: granting is done in a terminal).
 */
export function SettingsSection({ send = backgroundSend }: { send?: BackgroundSend }) {
  const roots = useLoader('fs.roots', () => loadRoots(send));
  return (
    <div className="space-y-4">
      <Card
        title="Granted folders"
        description="The only folders the native host may read and write. Grant and remove them in a terminal; the host rereads the list on every call."
        aside={
          <Button variant="secondary" onClick={() => void roots.reload()} data-testid="roots-refresh">
            Refresh
          </Button>
        }
        data-testid="granted-folders"
      >
        {roots.loading ? (
          <div className="space-y-2" role="status" aria-label="Loading granted folders">
            <Skeleton className="h-6 w-full" />
            <Skeleton className="h-6 w-2/3" />
          </div>
        ) : roots.error && !roots.value ? (
          <Callout tone="warning" title="Could not ask the native host" data-testid="roots-error">
            <p>{roots.error}</p>
            <p className="mt-1">The Overview section shows the host’s status and the next step to take.</p>
          </Callout>
        ) : roots.value && roots.value.roots.length === 0 ? (
          <Callout tone="info" title="No folder granted yet" data-testid="roots-empty">
            <RichText text="File steps need one. Run `npx ferry-host roots add ~/ferry-exports` in a terminal, then Refresh." />
          </Callout>
        ) : (
          <>
            <div className="-mx-4 overflow-x-auto px-4">
              <table className={tableClass} data-testid="roots-table">
                <thead>
                  <tr>
                    <th scope="col" className={thClass}>Name</th>
                    <th scope="col" className={thClass}>Folder</th>
                    <th scope="col" className={thClass}>Access</th>
                  </tr>
                </thead>
                <tbody>
                  {roots.value?.roots.map((root) => (
                    <tr key={root.path} data-testid="root-row">
                      <td className={`${tdClass} font-medium whitespace-nowrap`}>
                        {root.name}
                        {root.default && (
                          <Badge tone="blue" className="ml-2">
                            default
                          </Badge>
                        )}
                      </td>
                      <td className={`${tdClass} font-mono text-xs break-all`}>{root.path}</td>
                      <td className={`${tdClass} whitespace-nowrap`}>
                        {!root.exists ? (
                          <Badge tone="red" title="The folder is gone or was replaced by a symlink; grant it again.">
                            missing
                          </Badge>
                        ) : root.readOnly ? (
                          <Badge tone="amber">read-only</Badge>
                        ) : (
                          <Badge tone="green">read and write</Badge>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {roots.value && (
              <p className={`mt-3 text-xs ${mutedClass}`} data-testid="roots-limits">
                Largest file read: {mib(roots.value.limits.maxReadBytes)} · largest write: {mib(roots.value.limits.maxWriteBytes)}.
              </p>
            )}
          </>
        )}
        <div className="mt-4 space-y-1 border-t border-zinc-100 pt-3 text-[13px] text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          <p>
            <RichText text="Grant: `npx ferry-host roots add <folder> [--name NAME] [--default] [--read-only]`" />
          </p>
          <p>
            <RichText text="Remove: `npx ferry-host roots remove <name|folder>` · list: `npx ferry-host roots list`" />
          </p>
        </div>
      </Card>
      <Card title="Where Ferry is configured" description="Ferry has no global defaults yet; everything below is set where it applies." data-testid="settings-where">
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
