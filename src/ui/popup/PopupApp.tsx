import { useState } from 'react';
import type { BackgroundSend } from '../background';
import { HostStatusCard } from '../HostStatusCard';
import { LogoMark } from '../LogoMark';
import { OAuthReconnectCard } from './OAuthReconnectCard';
import { VaultLockedCard } from './VaultLockedCard';
import { extensionVersion, openSettings } from '../extension';
import type { HostClient } from '../hostClient';
import { useHostStatus } from '../useHostStatus';
import { IntegrationsHealthCard } from './IntegrationsHealthCard';
import { RecentRunsCard } from './RecentRunsCard';
import { SendPageCard } from './SendPageCard';
import type { SendPageClient } from './sendPageClient';
import { useSendPage } from './useSendPage';

/**
 * The toolbar popup: Ferry's name, "Send this page", recent runs, the native host card, each
 * integration's health and a way into settings. Chrome caps a popup at 600 px high, so the middle scrolls and the header and footer stay.
 */
export function PopupApp({ client, sendClient, send }: { client?: HostClient; sendClient?: SendPageClient; send?: BackgroundSend }) {
  const host = useHostStatus(client);
  const sendPage = useSendPage(sendClient);
  const [settingsError, setSettingsError] = useState<string>();
  const version = extensionVersion();

  const onOpenSettings = () => {
    openSettings(true).catch((error: unknown) => {
      setSettingsError(`Could not open settings: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  return (
    <div className="flex max-h-[600px] w-[360px] flex-col">
      <header className="flex shrink-0 items-center gap-2.5 border-b border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <LogoMark />
        <div className="min-w-0">
          <h1 className="text-[15px] leading-tight font-semibold tracking-tight">Ferry</h1>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">Page data, delivered</p>
        </div>
        {version && (
          <span className="ml-auto font-mono text-[11px] text-zinc-400 dark:text-zinc-500" title="Extension version">
            v{version}
          </span>
        )}
      </header>

      <main className="min-h-0 flex-1 space-y-3 overflow-y-auto p-3" data-testid="popup-main">
        <VaultLockedCard send={send} />
        <OAuthReconnectCard send={send} />
        <SendPageCard view={sendPage} />
        <RecentRunsCard send={send} refreshKey={sendPage.run?.started.runId} />
        <HostStatusCard
          compact
          status={host.status}
          failure={host.failure}
          loading={host.loading}
          reconnecting={host.reconnecting}
          onReconnect={() => void host.reconnect()}
        />
        <IntegrationsHealthCard send={send} />
      </main>

      <footer className="flex shrink-0 items-center justify-between gap-3 px-4 pt-1 pb-3">
        <p className="text-xs text-zinc-500 dark:text-zinc-400" role="alert">
          {settingsError}
        </p>
        <button
          type="button"
          onClick={onOpenSettings}
          data-testid="open-settings"
          className="inline-flex items-center gap-1 rounded-md px-1.5 py-1 text-sm font-medium text-sky-700 hover:text-sky-600 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-sky-400 dark:hover:text-sky-300 dark:focus-visible:outline-sky-400"
        >
          Open settings
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill="none">
            <path d="M6 3.5 10.5 8 6 12.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
      </footer>
    </div>
  );
}
