// Scenario 4: runs that meet. Two imports started at the same moment (the first pair on a state file
// that does not exist yet): exactly one works, the other exits 4 in under a second and writes
// nothing. A lock left by a killed run is taken over by the next one.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importable, scenario, statusOf, closeAfterEach } from '../helpers/e2e.js';
import { waitUntil } from '../helpers/reliability.js';

const keep = closeAfterEach();

// sync reaches 8 days back through sync.initialWindow: `sync --since` is refused once a cursor exists.
const importArgs = (command: 'sync' | 'backfill') => (command === 'sync' ? ['sync'] : ['backfill', '--since', '8d']);

describe('concurrency', () => {
  it('two imports at the same moment, five times: exactly one works, the other exits 4 in under a second and writes nothing', async () => {
    // Latency keeps each winner busy well past the moment the loser asks for the lock.
    const s = keep(await scenario({ sandbox: { conversations: 12, seed: 71, faults: { latencyMs: 300 } }, config: 'sync:\n  initialWindow: 8d\n' }));
    const pairs = [
      ['sync', 'sync'],
      ['sync', 'sync'],
      ['backfill', 'sync'],
      ['sync', 'backfill'],
      ['backfill', 'backfill'],
    ] as const;
    const loserMs: number[] = [];
    const waitedMs: number[] = [];
    for (const [i, [a, b]] of pairs.entries()) {
      const runsBefore = i === 0 ? 0 : (await statusOf(s)).runs.length;
      // `status` on a state file that does not exist, alongside, measures what starting a process and
      // reading the config cost right now: on a loaded CI machine that alone can approach a second.
      const baselineArgs = ['status', '--db', join(s.work.dir, 'absent.db')];
      const [first, second, baseline] = [s.spawn(importArgs(a)), s.spawn(importArgs(b)), s.spawn(baselineArgs)];
      const [results, started] = await Promise.all([Promise.all([first.done, second.done]), baseline.done]);
      const codes = results.map((r) => r.code).sort();
      expect(codes, `pair ${i + 1}: ${results.map((r) => r.stderr).join(' | ')}`).toEqual([0, 4]);
      const loser = results.find((r) => r.code === 4)!;
      expect(loser.stderr).toMatch(/^front-import: another front-import (sync|backfill) \(pid \d+, since .*\) is running with .*state\.db; wait for it or stop it\n$/);
      expect(loser.stdout).toBe('');
      loserMs.push(loser.ms);
      waitedMs.push(loser.ms - started.ms);
      // Only the winner's run is recorded.
      const runs = (await statusOf(s)).runs;
      expect(runs.length - runsBefore).toBe(1);
      expect(runs[0].outcome).toBe('success');
    }
    expect(Math.max(...waitedMs)).toBeLessThan(1000);
    expect(new Set(s.receiver.accepted().map((d) => d.id)).size).toBe(importable(s.sandbox.control.truth().conversations).length);
    console.log(
      `concurrency: ${pairs.length} pairs started together, each exactly one ran; the other exited 4 after ${Math.min(...loserMs)}-${Math.max(...loserMs)} ms ` +
        `(at most ${Math.max(...waitedMs)} ms more than a plain start)`,
    );
  });

  it('a lock left by a run killed with -9 is taken over by the next run, which says so and completes', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 72, faults: { latencyMs: 200 } } }));
    const victim = s.spawn(['sync', '--since', '8d']);
    await waitUntil(() => s.sandbox.control.requestLog().length > 0, 10_000, 'the first run to reach Front');
    victim.child.kill('SIGKILL');
    await victim.done;

    const next = await s.cli(['sync', '--since', '8d']);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`took over the lock left by sync \\(pid ${victim.child.pid}, since .*\\), which is no longer running`));
    const status = await statusOf(s);
    expect(status.runs[0]).toMatchObject({ command: 'sync', outcome: 'success' });
    // The killed run is not shown as running for ever.
    expect(status.runs[1]).toMatchObject({ command: 'sync', outcome: 'abandoned' });
    expect((await s.cli(['status'])).stdout).toMatch(/sync abandoned/);
    expect(status.totals.delivered).toBe(importable(s.sandbox.control.truth().conversations).length);
    console.log(`stale-lock: pid ${victim.child.pid} killed holding the lock; the next run took it over and delivered ${status.totals.delivered}`);
  });
});
