import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/temp-root.ts'],
    // Real model + real index: generous timeouts, and few workers on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // The quality indexes (five reports; five + ../shared external-dev) are built once per run.
    globalSetup: ['test/quality/global-setup.ts'],
  },
});
