import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/ui/styles.css';
import { PopupApp } from '../../src/ui/popup/PopupApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PopupApp />
  </StrictMode>,
);
