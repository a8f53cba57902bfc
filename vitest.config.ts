import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real model + real index: generous timeouts, and few workers on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // Every temporary folder under one root removed after the run (first, so the rest use it); the
    // quality indexes (five reports; five + ../shared external-dev) are built once per run.
    globalSetup: ['test/support/temp-root.ts', 'test/quality/global-setup.ts'],
  },
});
