// `front-import sandbox --demo`: the README's first command. Starts the simulated Front in this
// process, runs the real `backfill --since 7d` against it as a child process (exactly what a user
// would run), then stops. No account, no network. Everything it writes (the Highlights and the
// state file) goes into a fresh temporary folder, named at the start and the end, so running it
// again from a clone never appends to an earlier demo's file or leaves files in the clone.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BareContext } from '../../context/index.js';
import { packagePath } from '../../package-root.js';
import { startSandbox, type SandboxOptions } from '../../sandbox/index.js';

const BIN = packagePath('bin', 'front-import');

export async function runDemo(opts: SandboxOptions, out: (line: string) => void, { env, cwd }: Pick<BareContext, 'env' | 'cwd'>): Promise<number> {
  // A demo should finish in seconds: compress Front's minute unless the user chose a window.
  const windowMs = opts.windowMs ?? 2_000;
  const sandbox = await startSandbox({ ...opts, windowMs });
  const folder = mkdtempSync(join(tmpdir(), 'front-import-demo-'));
  const to = join(folder, 'highlights.ndjson');
  out(`sandbox: simulated Front at ${sandbox.url}`);
  out(`demo: writing into ${folder} (a new folder each run)`);
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
          FRONT_IMPORT_DB: join(folder, 'state.db'),
          FRONT_IMPORT_RATE_WINDOW_MS: String(windowMs),
        },
      });
      child.on('close', (c) => done(c ?? 1));
    });
    if (code === 0) out(`demo: done. Highlights are in ${to}; the state file is ${join(folder, 'state.db')}`);
    return code;
  } finally {
    await sandbox.close();
  }
}
