// Scenario 4: runs that meet. Two imports started at the same moment (the first pair on a state file
// that does not exist yet): exactly one works, the other exits 4 at once (while the winner is still
// running: it does not wait for the lock) and writes nothing. A lock left by a killed run is taken
// over by the next one.

import { describe, expect, it } from 'vitest';
import { importable, scenario, statusOf, closeAfterEach } from '../helpers/e2e.ts';
import { waitUntil } from '../helpers/reliability.ts';

const keep = closeAfterEach();

// sync reaches 8 days back through sync.initialWindow: `sync --since` is refused once a cursor exists.
const importArgs = (command: 'sync' | 'backfill') => (command === 'sync' ? ['sync'] : ['backfill', '--since', '8d']);

describe('concurrency', () => {
  it('two imports at the same moment, five times: exactly one works, the other exits 4 before it and writes nothing', async () => {
    // A second per Front answer keeps each winner busy for seconds, well past the moment the loser
    // asks for the lock even on a loaded machine.
    const s = keep(await scenario({ sandbox: { conversations: 12, seed: 71, faults: { latencyMs: 1000 } }, config: 'sync:\n  initialWindow: 8d\n' }));
    const pairs = [
      ['sync', 'sync'],
      ['sync', 'sync'],
      ['backfill', 'sync'],
      ['sync', 'backfill'],
      ['backfill', 'backfill'],
    ] as const;
    const loserMs: number[] = [];
    for (const [i, [a, b]] of pairs.entries()) {
      const runsBefore = i === 0 ? 0 : (await statusOf(s)).runs.length;
      const [first, second] = [s.spawn(importArgs(a)), s.spawn(importArgs(b))];
      const results = await Promise.all([first.done, second.done]);
      const codes = results.map((r) => r.code).sort();
      expect(codes, `pair ${i + 1}: ${results.map((r) => r.stderr).join(' | ')}`).toEqual([0, 4]);
      const loser = results.find((r) => r.code === 4)!;
      const winner = results.find((r) => r.code === 0)!;
      // Both started together: a loser that waited for the lock would end after the winner.
      expect(loser.ms).toBeLessThan(winner.ms);
      expect(loser.stderr).toMatch(/^front-import: another front-import (sync|backfill) \(pid \d+, since .*\) is running with .*state\.db; wait for it or stop it\n$/);
      expect(loser.stdout).toBe('');
      loserMs.push(loser.ms);
      // Only the winner's run is recorded.
      const runs = (await statusOf(s)).runs;
      expect(runs.length - runsBefore).toBe(1);
      expect(runs[0].outcome).toBe('success');
    }
    expect(new Set(s.receiver.accepted().map((d) => d.id)).size).toBe(importable(s.sandbox.control.truth().conversations).length);
    console.log(
      `concurrency: ${pairs.length} pairs started together, each exactly one ran; the other exited 4 after ${Math.min(...loserMs)}-${Math.max(...loserMs)} ms, before the winner`,
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
    expect(status.runs[1]).toMatchObject({ command: 'sync', outcome: 'interrupted' });
    expect((await s.cli(['status'])).stdout).toMatch(/sync interrupted .*the process stopped without finishing/);
    expect(status.totals.delivered).toBe(importable(s.sandbox.control.truth().conversations).length);
    console.log(`stale-lock: pid ${victim.child.pid} killed holding the lock; the next run took it over and delivered ${status.totals.delivered}`);
  });
});
