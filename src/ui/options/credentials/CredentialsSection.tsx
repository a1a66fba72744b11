import { useState } from 'react';
import { backgroundSend, type BackgroundSend } from '../../background';
import { ApiKeysCard } from './ApiKeysCard';
import { CredentialsCard } from './CredentialsCard';
import { EnvVarsCard } from './EnvVarsCard';
import { OAuthConnectionsCard } from './OAuthConnectionsCard';
import { VaultLockCard } from './VaultLockCard';

/**
 * Options → Credentials: the vault's lock, its secrets (never shown again), the OAuth connections
 * whose tokens it keeps, and the plain environment variables.
 */
export function CredentialsSection({ send = backgroundSend }: { send?: BackgroundSend }) {
  // A connection made or dropped changes the credentials list (its tokens).
  const [changes, setChanges] = useState(0);
  return (
    <div className="space-y-4">
      <VaultLockCard send={send} />
      <CredentialsCard send={send} refreshKey={String(changes)} />
      <OAuthConnectionsCard send={send} onChange={() => setChanges((n) => n + 1)} />
      <ApiKeysCard send={send} />
      <EnvVarsCard send={send} />
    </div>
  );
}
