import { useEffect, useState } from 'react';
import { sectionFromHash, type SectionId } from './sections';

/** The section named by location.hash, following back/forward and link clicks. */
export function useHashRoute(): SectionId {
  const [section, setSection] = useState<SectionId>(() => sectionFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setSection(sectionFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return section;
}
