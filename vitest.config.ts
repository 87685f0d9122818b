import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/setup/longest-first.ts';

export default defineConfig({
  test: {
    // A folder for the copies helpers make, removed after the run (shared-copies.ts); one PostgreSQL
    // server for the whole run (about half a second to start), on which tests make databases.
    globalSetup: ['test/setup/shared-copies.ts', 'test/setup/pg-server.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files share worker processes: the modules they import are loaded once per worker instead
    // of once per file (30 CPU-seconds of the suite). Every file closes what it starts (sandboxes,
    // servers, children) in its own hooks, so the next file in the worker starts from nothing.
    isolate: false,
    // Two CPUs: two workers keep them busy with the CPU-bound files, a third runs while scenario
    // files wait on a rate window or a receiver.
    maxWorkers: 3,
    // Workers allocate fast (sandboxes generating mail, runs in-process): a larger young generation
    // lets most of it die there instead of being copied and promoted (32 MB took the suite from 340
    // to 318 CPU-seconds; 64 MB, measured after later changes, 281).
    execArgv: ['--max-semi-space-size=64'],
    sequence: { sequencer: LongestFirst },
  },
});
