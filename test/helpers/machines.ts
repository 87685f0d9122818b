// "Machines" sharing one PostgreSQL state: each has its own work dir, HOME and copy of the
// scenario's config, and no local state file, so only the database connects their runs.

import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, testWorkdir, type Env, type RunResult, type Started, type Workdir } from './cli.ts';
import { DEST_TOKEN, inProcess, type Scenario } from './e2e.ts';

export interface Machine {
  work: Workdir;
  /** The machine's environment: its work dir's, with the PostgreSQL state instead of a state file. */
  env: Env;
  /** The command line in-process (as Scenario.cli); spawn starts the binary. */
  cli(args: string[], env?: Env): Promise<RunResult>;
  spawn(args: string[], env?: Env): Started;
}

export function machine(s: Scenario, stateUrl: string): Machine {
  // A machine lives for the test that made it.
  const work = testWorkdir({ FRONT_API_TOKEN: s.sandbox.tokens.full, FRONT_IMPORT_DEST_TOKEN: DEST_TOKEN });
  copyFileSync(join(s.work.dir, '.frontsyncrc'), join(work.dir, '.frontsyncrc'));
  const base = { ...work.env, FRONT_IMPORT_DB: undefined, FRONT_IMPORT_STATE_URL: stateUrl };
  return {
    work,
    env: base,
    cli: (args, env = {}) => inProcess(args, work.dir, { ...base, ...env }),
    spawn: (args, env = {}) => start(args, { cwd: work.dir, env: { ...base, ...env } }),
  };
}

/** Starts `listen` (with `flags`) on a machine and resolves with its webhook URL once it says it is listening. */
export async function listenOn(m: Pick<Machine, 'spawn'>, env: Env, flags: string[] = []): Promise<{ url: string; started: Started }> {
  const started = m.spawn(['listen', ...flags], env);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = /listening on (http:\/\/\S+)/.exec(started.output().stdout);
    if (found) return { url: found[1]!, started };
    if (started.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`listen did not start: ${started.output().stdout}${started.output().stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
