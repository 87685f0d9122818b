// Start-up of the real binary beside a bare `node -e 0` (issue 22): every cron invocation pays it.
// Each round starts `node -e 0` and then each case once, so machine load (2 CPUs shared by others)
// weighs on both sides of a ratio alike; the figure is the median over rounds of
// (case wall time / node's wall time in the same round). `npm run bench` prints these rows as
// section 6; `node bench/startup.mjs [--runs N] [--baseline BIN]` (after `npm run build`) prints
// them alone, with `--baseline` each case of another build's bin/front-import (say main's, before a
// change) in the same rounds too.

import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workdir } from './lib/child.mjs';
import { fixed, formatReport, int, median } from './lib/table.mjs';

const CASES = [
  { label: '`front-import --version`', args: ['--version'], goal: 1.3 },
  { label: '`front-import --help`', args: ['--help'], goal: 1.3 },
  { label: '`front-import status` on an empty state, settings from the environment only', args: ['status'], goal: 2, noConfigFile: true },
  { label: '`front-import status` on an empty state, with a config file', args: ['status'], goal: 2 },
];

function wallMs(args, { cwd, env }) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

/** Rows for bench/lib/table.mjs: one per case (and per baseline case), its median ratio to `node -e 0` beside its goal. */
export async function startupRows(section, { runs = 15, baseline = null } = {}) {
  const withConfig = workdir({});
  const envOnly = workdir({});
  // No config file: the state and defaults from the environment, as many cron entries run it.
  rmSync(join(envOnly.dir, '.frontsyncrc'));
  const bins = [fileURLToPath(new URL('../bin/front-import', import.meta.url)), ...(baseline ? [baseline] : [])];
  const times = bins.map(() => CASES.map(() => ({ node: [], ms: [], ratio: [] })));
  try {
    for (let round = 0; round < runs; round++) {
      for (const [i, c] of CASES.entries()) {
        const work = c.noConfigFile ? envOnly : withConfig;
        for (const [b, bin] of bins.entries()) {
          const node = await wallMs(['-e', '0'], { cwd: work.dir, env: work.env });
          const ms = await wallMs([bin, ...c.args], { cwd: work.dir, env: work.env });
          times[b][i].node.push(node);
          times[b][i].ms.push(ms);
          times[b][i].ratio.push(ms / node);
        }
      }
    }
  } finally {
    withConfig.remove();
    envOnly.remove();
  }
  return bins.flatMap((bin, b) =>
    CASES.map((c, i) => {
      const t = times[b][i];
      const ratio = median(t.ratio);
      const which = b === 0 ? '' : ` [baseline ${bin}]`;
      return {
        section,
        figure: `start-up: ${c.label}${which} (median of ${runs} rounds, each beside a bare \`node -e 0\`: ${int(median(t.ms))} ms vs ${int(median(t.node))} ms)`,
        value: `${fixed(ratio)}x node`,
        goal: `<= ${c.goal}x`,
        met: ratio <= c.goal,
      };
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const flag = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const rows = await startupRows(6, { runs: Number(flag('--runs') ?? 15), baseline: flag('--baseline') ?? null });
  process.stdout.write(formatReport({ title: 'front-import start-up', machine: `Node ${process.version}`, rows, notes: [] }));
}
