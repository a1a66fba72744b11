import { useEffect, useRef } from 'react';
import type { BackgroundSend } from '../background';
import { cx } from '../cx';
import { extensionVersion } from '../extension';
import { HostStatusCard } from '../HostStatusCard';
import type { HostClient } from '../hostClient';
import { useHostStatus } from '../useHostStatus';
import { AboutSection } from './AboutSection';
import { CredentialsSection } from './credentials/CredentialsSection';
import { EnvironmentCard } from './EnvironmentCard';
import { IntegrationsSection } from './integrations/IntegrationsSection';
import { PipelinesSection } from './pipelines/PipelinesSection';
import { PlannedSection } from './PlannedSection';
import { RunsSection } from './runs/RunsSection';
import { SECTIONS } from './sections';
import { SettingsSection } from './settings/SettingsSection';
import { Sidebar } from './Sidebar';
import { useHashRoute } from './useHashRoute';

/** The options page: a sidebar of hash routes and one section at a time. `send`: tests pass a fake background. */
export function OptionsApp({ client, send }: { client?: HostClient; send?: BackgroundSend }) {
  const active = useHashRoute();
  const host = useHostStatus(client);
  const section = SECTIONS[active];
  const version = extensionVersion();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // After navigating, move focus to the new heading so screen readers announce the section.
  useEffect(() => {
    document.title = `${section.label} · Ferry`;
    if (firstRender.current) firstRender.current = false;
    else heading.current?.focus();
  }, [section]);

  return (
    <div className="min-h-screen md:flex">
      <Sidebar active={active} extensionVersion={version} />
      <main className="min-w-0 flex-1 px-5 py-8 md:px-10 md:py-10">
        <div className={cx('mx-auto', section.wide ? 'max-w-5xl' : 'max-w-3xl')} data-testid={`section-${active}`} key={active}>
          <header className="mb-6">
            <h1 ref={heading} tabIndex={-1} className="text-xl font-semibold tracking-tight outline-none">
              {section.label}
            </h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{section.lead}</p>
          </header>
          {active === 'overview' ? (
            <div className="space-y-4">
              <HostStatusCard
                status={host.status}
                failure={host.failure}
                loading={host.loading}
                reconnecting={host.reconnecting}
                onReconnect={() => void host.reconnect()}
              />
              <EnvironmentCard status={host.status} />
            </div>
          ) : active === 'about' ? (
            <AboutSection extensionVersion={version} status={host.status} />
          ) : active === 'integrations' ? (
            <IntegrationsSection send={send} />
          ) : active === 'pipelines' ? (
            <PipelinesSection />
          ) : active === 'runs' ? (
            <RunsSection send={send} />
          ) : active === 'credentials' ? (
            <CredentialsSection send={send} />
          ) : active === 'settings' ? (
            <SettingsSection send={send} />
          ) : (
            <PlannedSection section={section} />
          )}
        </div>
      </main>
    </div>
  );
}
