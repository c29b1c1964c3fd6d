import { defineConfig } from 'vitest/config';

// Standalone config for the browser suite: `npx vitest run --config test/e2e/vitest.config.ts`.
// The suites start `presslink serve` and Chromium, so they run one file at a time.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
