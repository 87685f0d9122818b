import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL server for the whole run (about half a second to start); tests make databases on it.
    globalSetup: ['test/setup/pg-server.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Spawned binaries and sandboxes are CPU-bound on 2 cores; more workers only adds contention.
    maxWorkers: 2,
  },
});
