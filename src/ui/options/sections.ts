/** The options page's sections, in sidebar order. Each one is a hash route: #/<id>. */

export const SECTION_IDS = ['overview', 'integrations', 'pipelines', 'runs', 'credentials', 'settings', 'about'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface SectionInfo {
  id: SectionId;
  label: string;
  /** One sentence under the page heading. */
  lead: string;
  /** For sections not built yet: what will live there. */
  planned?: string;
  /** Tables that need more room than a column of cards. */
  wide?: boolean;
}

export const SECTIONS: Record<SectionId, SectionInfo> = {
  overview: { id: 'overview', label: 'Overview', lead: 'The native host and what it can do on this computer.' },
  integrations: {
    id: 'integrations',
    label: 'Integrations',
    lead: 'Where Ferry delivers records: endpoints, databases and folders, each with a connection test.',
  },
  pipelines: {
    id: 'pipelines',
    label: 'Pipelines',
    lead: 'How records travel from a page to your systems: what is extracted, how it is mapped, where it goes.',
  },
  runs: {
    id: 'runs',
    label: 'Runs',
    lead: 'What Ferry delivered, and what failed.',
    wide: true,
  },
  credentials: {
    id: 'credentials',
    label: 'Credentials',
    lead: 'Secrets for the services Ferry talks to, and the plain variables pipelines read.',
  },
  settings: {
    id: 'settings',
    label: 'Settings',
    lead: 'What you can configure today, and where.',
  },
  about: { id: 'about', label: 'About', lead: 'Versions of the extension and its native host.' },
};

export function isSectionId(value: string): value is SectionId {
  return (SECTION_IDS as readonly string[]).includes(value);
}

/** `#/runs` → 'runs'; anything unknown or empty → 'overview'. */
export function sectionFromHash(hash: string): SectionId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isSectionId(id) ? id : 'overview';
}
