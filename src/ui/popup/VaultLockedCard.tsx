import { useState } from 'react';
import { backgroundSend, type BackgroundSend } from '../background';
import { Badge } from '../Badge';
import { Callout } from '../Callout';
import { Card } from '../Card';
import { useLoader } from '../useLoader';
import { UnlockForm } from '../vault/UnlockForm';

/**
 * "Ferry is locked" with a passphrase field, shown only while the vault is locked (and saying so
 * when a run waits for it). Unlocking resumes the waiting runs in the background.
 */
export function VaultLockedCard({ send = backgroundSend }: { send?: BackgroundSend }) {
  const vault = useLoader('popup-vault-status', () => send('vault.status', undefined), () => 3000);
  const [unlocked, setUnlocked] = useState(false);
  const status = vault.value;

  if (status?.state !== 'locked') {
    return unlocked ? <Callout tone="info" title="Ferry is unlocked. Waiting runs continue." data-testid="popup-unlocked" /> : null;
  }
  return (
    <Card
      title="Ferry is locked"
      aside={
        <Badge tone="amber" dot={status.waiting ? 'pulse' : true}>
          {status.waiting ? 'Run waiting' : 'Locked'}
        </Badge>
      }
      description={status.waiting ? 'A run is waiting for a saved credential. Unlock Ferry and it continues.' : 'Saved credentials cannot be used until you unlock Ferry.'}
      aria-label="Ferry is locked"
      data-testid="popup-locked"
      data-waiting={status.waiting}
    >
      <UnlockForm
        compact
        send={send}
        status={status}
        onUnlocked={() => {
          setUnlocked(true);
          void vault.reload();
        }}
      />
    </Card>
  );
}
