import type { HostStatus } from '../../messaging/contract';
import { Card } from '../Card';
import { formatNodeVersion, MISSING } from '../format';
import { LogoMark } from '../LogoMark';
import { Stat } from '../Stat';

export interface AboutSectionProps {
  extensionVersion?: string;
  status?: HostStatus;
}

/** Versions of every moving part, for bug reports. */
export function AboutSection({ extensionVersion, status }: AboutSectionProps) {
  const hostKnown = status?.hostVersion !== undefined;
  return (
    <div className="space-y-4">
      <Card>
        <div className="flex items-start gap-4">
          <LogoMark className="size-11" />
          <div className="min-w-0">
            <p className="text-base font-semibold tracking-tight">Ferry</p>
            <p className="mt-1 text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">
              Extracts records from web pages and delivers them to REST and GraphQL APIs, SQL databases, files and
              desktop apps, with retries, circuit breakers and an audit trail. A small native host does the work a
              browser cannot.
            </p>
          </div>
        </div>
      </Card>
      <Card title="Versions" description={hostKnown ? 'Include these when you report a problem.' : 'Host versions appear once the native host is connected.'}>
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <Stat label="Extension" value={extensionVersion ?? MISSING} mono data-testid="about-extension-version" />
          <Stat label="Host" value={status?.hostVersion ?? MISSING} mono data-testid="about-host-version" />
          <Stat label="Protocol" value={status?.protocolVersion ?? MISSING} mono data-testid="about-protocol-version" />
          <Stat label="Node" value={formatNodeVersion(status?.nodeVersion)} mono data-testid="about-node-version" />
        </dl>
      </Card>
    </div>
  );
}
