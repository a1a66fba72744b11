import { useEffect, useMemo, useState } from 'react';
import type { IntegrationRow } from '../../../storage/rows';
import type { BackgroundSend } from '../../background';
import { Callout } from '../../Callout';
import { useLoader } from '../../useLoader';
import { AllowOrigin } from './IntegrationsCard';
import { FileRootsCard } from './FileRootsCard';
import { IntegrationForm } from './IntegrationForm';
import { IntegrationsCard } from './IntegrationsCard';
import { backgroundIntegrationsClient, type IntegrationsClient } from './integrationsClient';

/**
 * Options → Integrations: saved REST and GraphQL endpoints and database connections (create, edit,
 * delete, Test connection, health), and the folders granted to the host. Desktop apps come later.
 */
export function IntegrationsSection({ client: given, send }: { client?: IntegrationsClient; send?: BackgroundSend }) {
  const client = useMemo(() => given ?? backgroundIntegrationsClient(send), [given, send]);
  const integrations = useLoader('integrations', () => client.list());
  // The runs' circuits change while runs go on: refreshed every 5 s while the page is visible.
  const health = useLoader('integrations-health', () => client.health(), () => 5000);
  const [editing, setEditing] = useState<IntegrationRow | 'new'>();
  const [saved, setSaved] = useState<{ row: IntegrationRow; created: boolean }>();
  const [credentialNames, setCredentialNames] = useState<string[]>([]);
  const [env, setEnv] = useState<Record<string, string>>({});
  useEffect(() => {
    client.credentialNames().then(setCredentialNames, () => undefined);
    client.env().then(setEnv, () => undefined);
  }, [client]);

  const reload = () => void Promise.all([integrations.reload(), health.reload()]);

  return (
    <div className="space-y-4">
      {editing ? (
        <IntegrationForm
          key={editing === 'new' ? 'new' : editing.id}
          client={client}
          editing={editing === 'new' ? undefined : editing}
          credentialNames={credentialNames}
          onCancel={() => setEditing(undefined)}
          onSaved={(row, created) => {
            setEditing(undefined);
            setSaved({ row, created });
            reload();
          }}
        />
      ) : (
        <>
          {saved && (
            <Callout tone="info" title={`${saved.created ? 'Saved' : 'Updated'} ${saved.row.name}.`} data-testid="integration-saved">
              <p>Test it below, then pick it as the destination of a pipeline’s delivery step.</p>
              {saved.row.kind !== 'database' && (
                <p className="mt-1.5 flex flex-wrap items-center gap-2">
                  <AllowOrigin url={saved.row.kind === 'rest' ? saved.row.config.baseUrl : saved.row.config.endpoint} env={env} client={client} />
                </p>
              )}
            </Callout>
          )}
          <IntegrationsCard
            client={client}
            integrations={integrations}
            health={health}
            env={env}
            onAdd={() => {
              setSaved(undefined);
              setEditing('new');
            }}
            onEdit={(row) => {
              setSaved(undefined);
              setEditing(row);
            }}
            onDeleted={reload}
          />
        </>
      )}
      <FileRootsCard client={client} />
      <p className="text-[13px] text-zinc-500 dark:text-zinc-400">Desktop applications will be configured here too, in a later version.</p>
    </div>
  );
}
