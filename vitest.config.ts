import { defineConfig } from 'vitest/config';

/**
 * Scenarios that run the real binary, race processes or pace against a rate window: each file keeps
 * a process of its own, so nothing a file before it left behind (timers, sockets, a busy event loop)
 * shifts its timing.
 */
const OWN_PROCESS = ['test/reliability/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/listen/**/*.e2e.test.ts', 'test/state/**/*.test.ts'];

export default defineConfig({
  test: {
    // One PostgreSQL server for the whole run (about half a second to start); tests make databases on it.
    globalSetup: ['test/setup/pg-server.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Spawned binaries and sandboxes are CPU-bound on 2 cores; more workers only adds contention.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // In-process tests share worker processes: the modules they import are loaded once per
        // worker instead of once per file, which halves their CPU time.
        test: { name: 'in-process', include: ['test/**/*.test.ts'], exclude: OWN_PROCESS, isolate: false },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
});
