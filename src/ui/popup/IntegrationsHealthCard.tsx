import { backgroundSend, type BackgroundSend } from '../background';
import { Badge } from '../Badge';
import { Card } from '../Card';
import { breakerBadge, healthTone, lastTestLabel } from '../integrationHealthText';
import { Skeleton } from '../Skeleton';
import { useLoader } from '../useLoader';
import { openOptionsAt } from './RecentRunsCard';

/** At most this many lines; the rest are one click away in settings. */
const SHOWN = 4;

const linkClass = 'rounded text-xs font-medium text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-sky-400';

/**
 * The popup's compact view of each integration's health: its circuit (from the runs' persisted
 * breakers) and its last connection test, one line each.
 */
export function IntegrationsHealthCard({ send = backgroundSend, openIntegrations = () => openOptionsAt('#/integrations') }: { send?: BackgroundSend; openIntegrations?: () => Promise<void> }) {
  const health = useLoader('integrations-health', () => send('integrations.health', undefined), () => 5000);
  const list = health.value ?? [];
  const open = () => void openIntegrations().catch(() => undefined);
  return (
    <Card
      title="Integrations"
      aria-label="Integrations"
      data-testid="popup-integrations"
      className="py-3"
      aside={
        list.length > 0 ? (
          <button type="button" onClick={open} className={linkClass} data-testid="popup-integrations-open">
            Manage
          </button>
        ) : undefined
      }
    >
      {health.loading ? (
        <Skeleton className="h-5 w-full" />
      ) : health.error && !health.value ? (
        <p className="text-xs text-red-700 dark:text-red-300" data-testid="popup-integrations-error">
          {health.error}
        </p>
      ) : list.length === 0 ? (
        <p className="text-[13px] text-zinc-500 dark:text-zinc-400" data-testid="popup-integrations-empty">
          None yet.{' '}
          <button type="button" onClick={open} className={linkClass}>
            Add one in settings
          </button>
        </p>
      ) : (
        <ul className="-mt-1 space-y-1" data-testid="popup-integrations-list">
          {list.slice(0, SHOWN).map((h) => {
            const breaker = breakerBadge(h.breaker.state);
            const tone = healthTone(h);
            const words = h.breaker.state === 'open' || h.breaker.state === 'halfOpen' ? breaker.label : lastTestLabel(h.lastTest);
            return (
              <li key={h.id} className="flex items-center justify-between gap-2" data-testid="popup-integration" data-id={h.id} data-breaker={h.breaker.state}>
                <span className="min-w-0 truncate text-[13px] text-zinc-800 dark:text-zinc-200">{h.name}</span>
                <Badge tone={tone} dot title={`${breaker.label}. ${lastTestLabel(h.lastTest)}.`}>
                  {words}
                </Badge>
              </li>
            );
          })}
          {list.length > SHOWN && (
            <li>
              <button type="button" onClick={open} className={linkClass}>
                and {list.length - SHOWN} more
              </button>
            </li>
          )}
        </ul>
      )}
    </Card>
  );
}
