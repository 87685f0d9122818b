// Start-up of the real binary beside a bare `node -e 0` (issue 22): every cron invocation pays it.
// Each round starts `node -e 0` and then each case once, so machine load (2 CPUs shared by others)
// weighs on both sides of a ratio alike; the figure is the median over rounds of
// (case wall time / node's wall time in the same round). `npm run bench` prints these rows as
// section 6; `node bench/startup.mjs [--runs N]` (after `npm run build`) prints them alone.

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

/** Rows for bench/lib/table.mjs: one per case, its median ratio to `node -e 0` beside its goal. */
export async function startupRows(section, { runs = 15 } = {}) {
  const withConfig = workdir({});
  const envOnly = workdir({});
  // No config file: the state and defaults from the environment, as many cron entries run it.
  rmSync(join(envOnly.dir, '.frontsyncrc'));
  const bin = fileURLToPath(new URL('../bin/front-import', import.meta.url));
  const times = CASES.map(() => ({ node: [], ms: [], ratio: [] }));
  try {
    for (let round = 0; round < runs; round++) {
      for (const [i, c] of CASES.entries()) {
        const work = c.noConfigFile ? envOnly : withConfig;
        const node = await wallMs(['-e', '0'], { cwd: work.dir, env: work.env });
        const ms = await wallMs([bin, ...c.args], { cwd: work.dir, env: work.env });
        times[i].node.push(node);
        times[i].ms.push(ms);
        times[i].ratio.push(ms / node);
      }
    }
  } finally {
    withConfig.remove();
    envOnly.remove();
  }
  return CASES.map((c, i) => {
    const ratio = median(times[i].ratio);
    return {
      section,
      figure: `start-up: ${c.label} (median of ${runs} rounds, each beside a bare \`node -e 0\`: ${int(median(times[i].ms))} ms vs ${int(median(times[i].node))} ms)`,
      value: `${fixed(ratio)}x node`,
      goal: `<= ${c.goal}x`,
      met: ratio <= c.goal,
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : 15;
  const rows = await startupRows(6, { runs });
  process.stdout.write(formatReport({ title: 'front-import start-up', machine: `Node ${process.version}`, rows, notes: [] }));
}
