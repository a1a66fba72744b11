import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'native-host/src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Spawns the built native host (npm run build:host) and speaks real frames to it.
        test: {
          name: 'host',
          include: ['tests/host/**/*.test.ts'],
          globalSetup: ['tests/host/global-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        // src/integrations against real servers the tests start on 127.0.0.1 (tests/support/servers).
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
