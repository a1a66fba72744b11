import { useState } from 'react';
import type { GrantedRootInfo } from '../../../protocol/catalogue-fs';
import { errorMessage } from '../../background';
import { Button } from '../../Button';
import { RichText } from '../../RichText';
import { GrantedFoldersCard } from '../settings/GrantedFoldersCard';
import type { IntegrationsClient } from './integrationsClient';

/**
 * File roots: the folders granted to the host, shown with the terminal commands that grant them.
 * On purpose there is no "Add" here: the extension must never grant itself a folder.
 */
export function FileRootsCard({ client }: { client: IntegrationsClient }) {
  return (
    <GrantedFoldersCard
      send={client.send}
      description={
        <RichText text="Folders file steps may write into. They are granted only from a terminal (`npx ferry-host roots add <folder>`), never from the browser, so a web page can never widen what Ferry may touch." />
      }
      action={(root) => <TestRoot root={root} client={client} />}
    />
  );
}

function TestRoot({ root, client }: { root: GrantedRootInfo; client: IntegrationsClient }) {
  const [state, setState] = useState<{ busy?: boolean; ok?: boolean; text?: string }>({});
  const test = async () => {
    setState({ busy: true });
    try {
      const { entries } = await client.listRoot(root.path);
      setState({ ok: true, text: entries === 0 ? 'Readable (empty)' : 'Readable' });
    } catch (error) {
      setState({ ok: false, text: errorMessage(error) });
    }
  };
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" busy={state.busy} busyLabel="Testing…" onClick={() => void test()} aria-label={`Test the folder ${root.name}`} data-testid="root-test">
        Test
      </Button>
      {state.text && (
        <span role="status" className={`max-w-64 text-right text-xs ${state.ok ? 'text-emerald-700 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'}`} data-testid="root-test-result" data-ok={String(state.ok)}>
          {state.text}
        </span>
      )}
    </div>
  );
}
