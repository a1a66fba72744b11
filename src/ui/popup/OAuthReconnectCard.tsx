import { backgroundSend, type BackgroundSend } from '../background';
import { Button } from '../Button';
import { Callout } from '../Callout';
import { useLoader } from '../useLoader';
import { useNow } from '../vault/useNow';
import { connectionView } from '../vault/oauthText';
import { openOptionsAt } from './RecentRunsCard';

const openCredentials = () => openOptionsAt('#/credentials');

/** A warning per OAuth connection that needs a new sign-in, with a way to the options page to reconnect it. */
export function OAuthReconnectCard({ send = backgroundSend, openOptions = openCredentials }: { send?: BackgroundSend; openOptions?: () => Promise<void> }) {
  const connections = useLoader('popup-oauth-status', () => send('oauth.status', undefined), () => 15_000);
  const [now] = useNow(true, 30_000);
  const stale = (connections.value ?? []).filter((c) => connectionView(c, now).needsReconnect);
  if (stale.length === 0) return null;
  return (
    <div className="space-y-2" data-testid="popup-oauth-reconnect">
      {stale.map((c) => (
        <Callout key={c.name} tone="warning" title={`Reconnect ${c.name}`} data-testid="popup-reconnect" data-name={c.name}>
          <p>Ferry cannot renew its access, so runs that use it fail.</p>
          <Button variant="secondary" className="mt-2 h-7 text-xs" onClick={() => void openOptions().catch(() => undefined)} data-testid="popup-reconnect-open">
            Reconnect in settings
          </Button>
        </Callout>
      ))}
    </div>
  );
}
