import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/ui/styles.css';
import { OptionsApp } from '../../src/ui/options/OptionsApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <OptionsApp />
  </StrictMode>,
);
