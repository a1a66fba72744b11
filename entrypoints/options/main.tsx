import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import '../../src/ui/styles.css';
import { OptionsApp } from '../../src/ui/options/OptionsApp';

// The pipeline editor validates with zod; MV3 pages forbid eval, so zod must never probe `new Function`.
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <OptionsApp />
  </StrictMode>,
);
