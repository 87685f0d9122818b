import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Spawned binaries and sandboxes are CPU-bound on 2 cores; more workers only adds contention.
    maxWorkers: 2,
  },
});
