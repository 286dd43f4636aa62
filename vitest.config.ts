import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // First, the run's own temporary folder and the check that nothing is left behind (its teardown runs last);
    // then dist/ is compiled once when stale, before any test file starts the programs through scripts/run.mjs; then a
    // real PostgreSQL server on loopback for the whole run (stopped, its data folder removed, before the leftovers check).
    globalSetup: ['tests/support/leftovers.ts', 'tests/support/build-dist.ts', 'tests/support/postgres.ts'],
    // Removes each test file's temporary folders after its tests.
    setupFiles: ['tests/support/remove-temp-dirs.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
