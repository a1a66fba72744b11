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
    permissions: ['nativeMessaging', 'alarms', 'activeTab', 'scripting', 'storage', 'identity', 'contextMenus', 'notifications'],
    // Asked for one origin at a time, when the user allows a pipeline's API (docs/ARCHITECTURE.md).
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    // Chromium derives the extension id from this public key, so the native host manifest can name it.
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // Ferry's developers receive no user data: records go only where the user sends them.
            gecko: { id: GECKO_ID, strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
          },
        }
      : { key: EXTENSION_PUBLIC_KEY }),
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'",
    },
    action: { default_title: 'Ferry' },
  }),
});
