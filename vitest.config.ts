import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Compiles dist/ once when stale, before any test file starts the programs through scripts/run.mjs.
    globalSetup: ['tests/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
