import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL server for the whole run (about half a second to start); tests make databases on it.
    globalSetup: ['test/setup/pg-server.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One process per worker for every file it runs, not one per file: the command line's modules
    // are transformed and loaded once per worker instead of once per file (about 2 s of CPU each).
    // Tests share no module state: none mocks modules, changes process.env or the working folder.
    isolate: false,
    // Spawned binaries and sandboxes are CPU-bound on 2 cores; more workers only adds contention.
    maxWorkers: 2,
  },
});
