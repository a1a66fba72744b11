import { useEffect, useRef } from 'react';
import { extensionVersion } from '../extension';
import { HostStatusCard } from '../HostStatusCard';
import type { HostClient } from '../hostClient';
import { useHostStatus } from '../useHostStatus';
import { AboutSection } from './AboutSection';
import { EnvironmentCard } from './EnvironmentCard';
import { PipelinesSection } from './pipelines/PipelinesSection';
import { PlannedSection } from './PlannedSection';
import { SECTIONS } from './sections';
import { Sidebar } from './Sidebar';
import { useHashRoute } from './useHashRoute';

/** The options page: a sidebar of hash routes and one section at a time. */
export function OptionsApp({ client }: { client?: HostClient }) {
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
        <div className="mx-auto max-w-3xl" data-testid={`section-${active}`} key={active}>
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
          ) : active === 'pipelines' ? (
            <PipelinesSection />
          ) : (
            <PlannedSection section={section} />
          )}
        </div>
      </main>
    </div>
  );
}
