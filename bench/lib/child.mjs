// Runs bin/front-import the way cron would: its own temp HOME and cwd, a config file, a state file,
// and (when measured) its CPU time and peak RSS reported by usage-preload.mjs.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/front-import', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./usage-preload.mjs', import.meta.url));

/**
 * A work dir with `.frontsyncrc` holding `front` (YAML scalars only) and an NDJSON destination.
 * `env` adds variables (the token, FRONT_IMPORT_NO_PACING, ...); `extra` appends lines of YAML (a `listen:` block).
 */
export function workdir({ front = {}, env = {}, extra = [] }) {
  const dir = mkdtempSync(join(tmpdir(), 'fi-bench-'));
  const home = join(dir, 'home');
  const ndjson = join(dir, 'highlights.ndjson');
  const frontKeys = Object.entries(front).map(([k, v]) => `  ${k}: ${v}`);
  const config = [...(frontKeys.length ? ['front:', ...frontKeys] : []), 'destination:', '  type: ndjson', `  path: ${ndjson}`, ...extra];
  writeFileSync(join(dir, '.frontsyncrc'), `${config.join('\n')}\n`);
  const baseEnv = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    FRONT_IMPORT_DB: join(dir, 'state', 'state.db'),
    NO_COLOR: '1',
    ...env,
  };
  return {
    dir,
    ndjson,
    env: baseEnv,
    /** Runs the binary; `measure` adds CPU and peak RSS of the child itself. */
    run: (args, { measure = false } = {}) => runBinary(args, { cwd: dir, env: baseEnv, measure }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function runBinary(args, { cwd, env, measure }) {
  const usageFile = join(cwd, `usage-${process.hrtime.bigint()}.json`);
  const nodeArgs = measure ? ['--import', PRELOAD, BIN, ...args] : [BIN, ...args];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, nodeArgs, {
    cwd,
    env: measure ? { ...env, FRONT_IMPORT_BENCH_USAGE: usageFile } : env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const usage = measure ? JSON.parse(readFileSync(usageFile, 'utf8')) : null;
      resolve({ code, stdout, stderr, wallMs, usage });
    });
  });
}

/** The JSON summary of `backfill --json` / `sync --json`; throws with the child's stderr when the run failed. */
export function summaryOf(result, what) {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
  return JSON.parse(result.stdout);
}
