import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/ui/styles.css';
import { PreviewApp } from '../../src/ui/preview/PreviewApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PreviewApp id={window.location.hash.slice(1)} />
  </StrictMode>,
);
