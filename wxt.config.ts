import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'wxt';
import { EXTENSION_PUBLIC_KEY, GECKO_ID } from './src/protocol/identity';

// Permissions are kept minimal; docs/ARCHITECTURE.md justifies each one.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  outDir: '.output',
  vite: () => ({ plugins: [tailwindcss()] }),
  manifest: ({ browser }) => ({
    name: 'Ferry',
    description: 'Extract data from web pages and deliver it to APIs, databases, files and desktop apps.',
    permissions: ['nativeMessaging'],
    // Chromium derives the extension id from this public key, so the native host manifest can name it.
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: GECKO_ID, strict_min_version: '128.0' } } }
      : { key: EXTENSION_PUBLIC_KEY }),
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'",
    },
    action: { default_title: 'Ferry' },
  }),
});
