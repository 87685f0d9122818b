// Scenario 4: runs that meet. Two imports started at the same moment (the first pair on a state file
// that does not exist yet): exactly one works, the other exits 4 at once (while the winner is still
// running: it does not wait for the lock) and writes nothing. A lock left by a killed run is taken
// over by the next one. A busy listener and cron syncs on one state run side by side.

import { describe, expect, it } from 'vitest';
import { importable, scenario, statusOf, closeAfterEach } from '../helpers/e2e.ts';
import { waitUntil } from '../helpers/reliability.ts';
import { SECRET } from '../listen/helpers.ts';

const keep = closeAfterEach();

// sync reaches 8 days back through sync.initialWindow: `sync --since` is refused once a cursor exists.
const importArgs = (command: 'sync' | 'backfill') => (command === 'sync' ? ['sync'] : ['backfill', '--since', '8d']);

describe('concurrency', () => {
  it('two imports at the same moment, five times: exactly one works, the other exits 4 before it and writes nothing', async () => {
    // Front holds every answer past /me until the loser has exited: the winner stands still holding
    // the lock for as long as the loser, started beside it, takes to ask for it.
    const s = keep(await scenario({ sandbox: { conversations: 12, seed: 71 }, config: 'sync:\n  initialWindow: 8d\n' }));
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
      s.sandbox.control.holdRequests();
      const [first, second] = [s.spawn(importArgs(a)), s.spawn(importArgs(b))];
      let exited = false;
      void Promise.race([first.done, second.done]).then(() => {
        exited = true;
      });
      await waitUntil(() => exited, 30_000, `pair ${i + 1}: one of the two runs to exit while the other is held`);
      s.sandbox.control.releaseRequests();
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
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 72 } }));
    // Front holds every answer past /me (the company check): the run stands recorded and importing.
    s.sandbox.control.holdRequests();
    const victim = s.spawn(['sync', '--since', '8d']);
    await waitUntil(() => s.sandbox.control.requestLog().some((e) => e.path !== '/me'), 30_000, 'the first run to import from Front');
    victim.child.kill('SIGKILL');
    await victim.done;
    s.sandbox.control.releaseRequests();

    const next = await s.cli(['sync', '--since', '8d']);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`took over the lock left by sync \\(pid ${victim.child.pid}, since .*\\), which is no longer running`));
    const status = await statusOf(s);
    expect(status.runs[0]).toMatchObject({ command: 'sync', outcome: 'success' });
    // The killed run is not shown as running for ever.
    expect(status.runs[1]).toMatchObject({ command: 'sync', outcome: 'interrupted' });
    expect((await s.cli(['status'])).stdout).toMatch(/sync interrupted .*the process stopped without finishing/);
    expect(status.totals!.delivered).toBe(importable(s.sandbox.control.truth().conversations).length);
    console.log(`stale-lock: pid ${victim.child.pid} killed holding the lock; the next run took it over and delivered ${status.totals!.delivered}`);
  });

  it('a listener receiving a webhook every 1.5 s beside six syncs in a row: every sync exits 0, nothing is lost or delivered twice; two syncs at once still exclude each other', async () => {
    // Latency keeps each listener batch busy for a good part of every beat, so syncs start mid-batch.
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 74, faults: { latencyMs: 250 } }, config: 'listen:\n  port: 0\nsync:\n  initialWindow: 8d\n' }));
    const { control } = s.sandbox;
    const listen = s.spawn(['listen'], { FRONT_WEBHOOK_SECRET: SECRET });
    await waitUntil(() => /listening on http:\/\/\S+/.test(listen.output().stdout), 45_000, 'listen to start (a spawned binary: slow on a loaded machine)');
    control.setWebhook({ url: /listening on (http:\/\/\S+)/.exec(listen.output().stdout)![1]!, secret: SECRET });
    await control.flushWebhooks();

    const ids = control.truth().conversations.filter((c) => c.status !== 'archived' && c.status !== 'deleted').map((c) => c.id);
    const beats: Array<[string, string]> = [];
    const beat = setInterval(() => {
      const id = ids[beats.length % ids.length]!;
      const tag = `beat-${beats.length}`;
      beats.push([id, tag]);
      control.tag(id, tag);
    }, 1500);
    const syncs: { code: number | null; stderr: string }[] = [];
    let pair: number[] = [];
    try {
      for (let i = 0; i < 6; i++) syncs.push(await s.cli(['sync']));
      // Two processes: runs in one process share its pid, which the lock names.
      const both = await Promise.all([s.binary(['sync']), s.binary(['sync'])]);
      pair = both.map((r) => r.code ?? -1).sort();
    } finally {
      clearInterval(beat);
    }
    expect(syncs.map((r) => r.code), syncs.map((r) => r.stderr).join(' | ')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(pair).toEqual([0, 4]);

    await control.flushWebhooks();
    const latest = () => {
      const tags = new Map<string, string[]>();
      for (const batch of s.receiver.batches) for (const h of batch.highlights) tags.set(h.id, h.tags as string[]);
      return tags;
    };
    await waitUntil(() => beats.every(([id, tag]) => latest().get(`front:${id}`)?.includes(tag)), 20_000, 'every beat delivered');
    listen.child.kill('SIGTERM');
    expect((await listen.done).code).toBe(0);
    const pairs = s.receiver.accepted().map((d) => `${d.id}@${d.version}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    console.log(`listener-and-sync: ${beats.length} webhook beats, 6 syncs beside the listener all exit 0, ${pairs.length} deliveries none twice; two syncs at once exit ${pair.join(' and ')}`);
  });
});
