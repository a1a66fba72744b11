import type { ReactNode } from 'react';
import type { GrantedRootInfo } from '../../../protocol/catalogue-fs';
import type { BackgroundSend } from '../../background';
import { Badge } from '../../Badge';
import { Button } from '../../Button';
import { Callout } from '../../Callout';
import { Card } from '../../Card';
import { RichText } from '../../RichText';
import { Skeleton } from '../../Skeleton';
import { mutedClass, tableClass, tdClass } from '../../table';
import { useLoader } from '../../useLoader';
import { TableHead } from '../../TableHead';

export interface RootsAnswer {
  roots: GrantedRootInfo[];
  limits: { maxReadBytes: number; maxWriteBytes: number };
}

/** Asks the host which folders it may use (`fs.roots`); a host error becomes a thrown message. */
export async function loadRoots(send: BackgroundSend): Promise<RootsAnswer> {
  const outcome = await send('host.call', { method: 'fs.roots', params: {}, timeoutMs: 5000 });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result as RootsAnswer;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;

export interface GrantedFoldersCardProps {
  send: BackgroundSend;
  description?: ReactNode;
  /** A last column per folder (the Integrations section's "Test"). */
  action?: (root: GrantedRootInfo) => ReactNode;
}

/**
 * The folders granted to the native host (`fs.roots`), read-only: granting is done in a terminal,
 * on purpose, so the extension can never grant itself a folder. Shown in Settings and Integrations.
 */
export function GrantedFoldersCard({ send, description, action }: GrantedFoldersCardProps) {
  const roots = useLoader('fs.roots', () => loadRoots(send));
  return (
    <Card
    title="Granted folders"
    description={description ?? 'The only folders the native host may read and write. Grant and remove them in a terminal; the host rereads the list on every call.'}
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
            <TableHead columns={['Name', 'Folder', 'Access', ...(action ? [{ label: 'Actions', right: true, srOnly: true }] : [])]} />
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
                  {action && <td className={`${tdClass} text-right`}>{action(root)}</td>}
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
  );
}
