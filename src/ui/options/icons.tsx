import type { SectionId } from './sections';

/** Outline icons for the sidebar, drawn on a 24-unit grid with the current text colour. */
const paths: Record<SectionId, string[]> = {
  overview: ['M3 12h4l2.5-6 5 12 2.5-6h4'],
  integrations: ['M9 3v5', 'M15 3v5', 'M6 8h12v3a6 6 0 0 1-12 0V8Z', 'M12 17v4'],
  pipelines: ['M6 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z', 'M18 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z', 'M6 9v3a3 3 0 0 0 3 3h6a3 3 0 0 1 3 3'],
  runs: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'M12 7v5l3 2'],
  credentials: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4', 'M12 15v2'],
  settings: ['M4 7h9', 'M17 7h3', 'M15 5v4', 'M4 12h3', 'M11 12h9', 'M9 10v4', 'M4 17h11', 'M19 17h1', 'M17 15v4'],
  about: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'M12 16v-5', 'M12 8h.01'],
};

export function SectionIcon({ id, className }: { id: SectionId; className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" className={className ?? 'size-4'}>
      {paths[id].map((d) => (
        <path key={d} d={d} stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" />
      ))}
    </svg>
  );
}
