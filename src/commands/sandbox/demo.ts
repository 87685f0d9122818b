// `front-import sandbox --demo`: the README's first command. Starts the simulated Front in this
// process, runs the real `backfill --since 7d` against it as a child process (exactly what a user
// would run, with a throwaway state file), then stops. No account, no network.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BareContext } from '../../context/index.js';
import { startSandbox, type SandboxOptions } from '../../sandbox/index.js';

const BIN = fileURLToPath(new URL('../../../bin/front-import', import.meta.url));

export async function runDemo(opts: SandboxOptions, out: (line: string) => void, { env, cwd }: Pick<BareContext, 'env' | 'cwd'>): Promise<number> {
  // A demo should finish in seconds: compress Front's minute unless the user chose a window.
  const windowMs = opts.windowMs ?? 2_000;
  const sandbox = await startSandbox({ ...opts, windowMs });
  const state = mkdtempSync(join(tmpdir(), 'front-import-demo-'));
  const to = resolve(cwd, 'highlights.ndjson');
  out(`sandbox: simulated Front at ${sandbox.url}`);
  out(`demo: front-import backfill --since 7d --to ${to}`);
  try {
    const code = await new Promise<number>((done) => {
      const child = spawn(process.execPath, [BIN, 'backfill', '--since', '7d', '--to', to], {
        cwd,
        stdio: 'inherit',
        env: {
          ...env,
          FRONT_API_URL: sandbox.url,
          FRONT_API_TOKEN: sandbox.tokens.full,
          FRONT_IMPORT_DB: join(state, 'state.db'),
          FRONT_IMPORT_RATE_WINDOW_MS: String(windowMs),
        },
      });
      child.on('close', (c) => done(c ?? 1));
    });
    if (code === 0) out(`demo: done. Highlights are in ${to}; the state file is ${join(state, 'state.db')}`);
    return code;
  } finally {
    await sandbox.close();
  }
}
