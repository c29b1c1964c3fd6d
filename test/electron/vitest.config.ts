import { defineConfig } from 'vitest/config';

// The desktop smoke test launches a real Electron app, so it runs on its own:
// `npx vitest run --config test/electron/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ['test/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
