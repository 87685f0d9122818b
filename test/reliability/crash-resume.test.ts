// Scenario 1: crashes and signals. kill -9 at random moments of a backfill (fetching and delivering),
// each followed by a re-run, must end with every conversation delivered at its latest version and no
// version sent under two Idempotency-Keys; SIGINT/SIGTERM finish the batch in hand, save, exit 130/143.

import { describe, expect, it } from 'vitest';
import { activeSince, importable, scenario, type Scenario, statusOf, closeAfterEach } from '../helpers/e2e.ts';

/** Conversations the default scope imports (spam and trashed left out). */
const total = (s: Scenario) => importable(s.sandbox.control.truth().conversations).length;
import { auditDelivery, n, suiteRandom, waitUntil } from '../helpers/reliability.ts';

const DAY = 86_400_000;
const SINCE = '8d';
/** kill -9s per soak: 12 in `npm test`; RELIABILITY_KILLS=<n> runs a longer one (the README's 20 for a release). */
const KILLS = Number(process.env.RELIABILITY_KILLS) || 12;

const keep = closeAfterEach();

const frontRequests = (s: Scenario) => s.sandbox.control.requestLog().length;

describe('kill -9', () => {
  it(`${KILLS} kills at random moments of a backfill of 1,200 conversations, each followed by a re-run: nothing missing, no version under two keys`, async () => {
    const { seed, rng } = suiteRandom('crash-resume');
    const started = Date.now();
    const s = keep(await scenario({
      sandbox: { conversations: 1200, seed: 41, plan: 'enterprise', windowMs: 250 },
      // Small batches: delivery takes long enough for kills to land in it, and a kill mid-batch is likely.
      destination: { batchSize: 20 },
    }));
    let lastPostAt = 0;
    let postsThisRun = 0;
    let onPost: (() => void) | null = null;
    s.receiver.behave({
      // A little time per batch, so the delivery phase lasts long enough for timed kills to land in it.
      delayMs: 10,
      onRequest: () => {
        lastPostAt = Date.now();
        postsThisRun += 1;
        onPost?.();
      },
    });

    const kills = { starting: 0, fetching: 0, delivering: 0 };
    const unexpectedExits: string[] = [];
    let runs = 0;
    // Once a run has delivered everything, later runs have no batch to be killed at: they are then
    // killed at a moment after spawn instead, so every remaining kill still lands.
    let nothingLeftToDeliver = false;
    const killed = () => kills.starting + kills.fetching + kills.delivering;
    while (killed() < KILLS && runs < 3 * KILLS) {
      runs += 1;
      // The first half of the kills aim at the fetch, the rest at delivery, which starts once a run
      // gets through the fetch. All draws happen up front, so the sequence depends on the seed alone.
      const aim = killed() < KILLS / 2 ? 'fetch' : 'delivery';
      const fromSpawn = rng.chance(0.2);
      const atPost = rng.chance(0.5);
      const post = rng.int(1, 6);
      const beforeAnswer = rng.chance(0.5);
      const delayMs = rng.int(0, fromSpawn ? 500 : aim === 'fetch' ? 600 : 400);

      postsThisRun = 0;
      const spawnedAt = Date.now();
      const frontBefore = frontRequests(s);
      const run = s.spawn(['backfill', '--since', SINCE]);
      // Set by kill(), inside callbacks: declared so that TypeScript does not narrow it to null here.
      let phase = null as keyof typeof kills | null;
      const kill = () => {
        if (phase !== null || run.child.exitCode !== null) return;
        const log = s.sandbox.control.requestLog();
        const lastFrontAt = log[log.length - 1]?.at ?? 0;
        phase = Math.max(lastFrontAt, lastPostAt) < spawnedAt ? 'starting' : lastPostAt > lastFrontAt ? 'delivering' : 'fetching';
        run.child.kill('SIGKILL');
      };
      const timers: NodeJS.Timeout[] = [];
      const killIn = (ms: number) => timers.push(setTimeout(kill, ms));
      if (fromSpawn || (aim === 'delivery' && nothingLeftToDeliver)) {
        killIn(delayMs);
      } else if (aim === 'fetch') {
        const poll = setInterval(() => {
          if (frontRequests(s) === frontBefore) return;
          clearInterval(poll);
          killIn(delayMs);
        }, 15);
        timers.push(poll);
      } else {
        // At an exact batch (the receiver takes it either way; "before" = the sender never hears the
        // answer), or at a random moment after the first one.
        onPost = () => {
          if (atPost && postsThisRun === post) {
            if (beforeAnswer) kill();
            else killIn(delayMs % 25);
          } else if (!atPost && postsThisRun === 1) {
            killIn(delayMs);
          }
        };
      }
      const result = await run.done;
      for (const timer of timers) clearTimeout(timer);
      onPost = null;
      if (result.signal === 'SIGKILL' && phase) kills[phase] += 1;
      else if (result.code !== 0) unexpectedExits.push(`run ${runs}: exit ${result.code} ${result.stderr.trim()}`);
      else if (aim === 'delivery') nothingLeftToDeliver = true;
    }

    const final = await s.cli(['backfill', '--since', SINCE]);
    expect(final.stderr, `seed ${seed}`).not.toMatch(/error/i);
    expect(final.code, `seed ${seed}`).toBe(0);
    expect(unexpectedExits, `seed ${seed}`).toEqual([]);
    expect(killed(), `seed ${seed}`).toBe(KILLS);
    expect(kills.fetching, `seed ${seed}: kills while fetching`).toBeGreaterThan(0);
    expect(kills.delivering, `seed ${seed}: kills while delivering`).toBeGreaterThan(0);

    const expected = activeSince(s.sandbox, Date.now() - 8 * DAY);
    expect(expected).toHaveLength(total(s));
    expect(expected.length).toBeGreaterThan(1000);
    const audit = auditDelivery(s.receiver, expected.map((c) => `front:${c.id}`));
    expect(audit.missing, `seed ${seed}`).toEqual([]);
    expect(audit.unexpected, `seed ${seed}`).toEqual([]);
    expect(audit.duplicateVersions, `seed ${seed}`).toEqual([]);
    expect(audit.regressions, `seed ${seed}`).toEqual([]);

    // The versions are the ones an uninterrupted run delivers: none stale, none extra.
    const reference = await s.reference(['backfill', '--since', SINCE]);
    expect(reference.result.code).toBe(0);
    const pairs = (list: Array<{ id: string; version: string }>) => [...new Set(list.map((d) => `${d.id}@${d.version}`))].sort();
    expect(pairs(s.receiver.accepted()), `seed ${seed}`).toEqual(pairs(reference.delivered));

    const status = await statusOf(s);
    expect(status.totals!.pending).toBe(0);
    expect(status.totals!.delivered).toBe(total(s));

    console.log(
      `crash-resume: seed ${seed}, ${KILLS} kills (${kills.starting} starting, ${kills.fetching} fetching, ${kills.delivering} delivering) over ${runs + 1} runs, ` +
        `${n(expected.length)} conversations, ${audit.missing.length} missing, ${audit.duplicateVersions.length} duplicate versions under different keys, ${audit.regressions.length} regressions, ` +
        `${audit.resent} batches re-sent with their original key, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }, 240_000);

  it('a finished backfill run again and killed half way sends nothing: no older state after a newer one', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 300, seed: 45 } }));
    expect((await s.cli(['backfill', '--since', SINCE])).code).toBe(0);
    const delivered = s.receiver.accepted().length;
    expect(delivered).toBe(total(s));

    // The second walk meets every conversation as it was at each of its events, oldest first. (The
    // automatic choice would list instead: the store holds every latest message already.)
    const before = frontRequests(s);
    const run = s.spawn(['backfill', '--since', SINCE, '--strategy', 'events']);
    await waitUntil(() => frontRequests(s) >= before + 40, 20_000, '40 Front requests of the second backfill');
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    const again = await s.cli(['backfill', '--since', SINCE, '--strategy', 'events']);
    expect(again.code).toBe(0);

    const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`));
    expect(audit.regressions).toEqual([]);
    expect(s.receiver.accepted().slice(delivered)).toEqual([]);
    console.log(`crash-rewalk: ${total(s)} conversations re-read after a kill, ${s.receiver.accepted().length - delivered} re-sent, ${audit.regressions.length} regressions`);
  });
});

describe('SIGINT / SIGTERM', () => {
  it('SIGTERM while fetching: saves the pages read, exits 143; the next run resumes without refetching them', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 600, seed: 42 } }));
    const run = s.spawn(['backfill', '--since', SINCE]);
    await waitUntil(() => frontRequests(s) >= 60, 20_000, '60 Front requests');
    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    const stopMs = Date.now() - signalledAt;
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/SIGTERM received/);
    expect(stopped.stderr).toMatch(/interrupted by SIGTERM; progress saved/);
    // A bound for "stops instead of finishing the backfill", loose enough for a loaded machine.
    expect(stopMs).toBeLessThan(10_000);
    const before = frontRequests(s);

    const status = await statusOf(s);
    expect(status.runs[0]).toMatchObject({ command: 'backfill', outcome: 'interrupted', exitCode: 143 });

    const resumed = await s.cli(['backfill', '--since', SINCE, '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.resumed).toBe(true);
    const reference = await s.reference(['backfill', '--since', SINCE, '--json']);
    const full = JSON.parse(reference.result.stdout).requests.requests;
    // At most the requests in flight at the signal (concurrency 4) are made again.
    expect(summary.requests.requests).toBeLessThanOrEqual(full - before + 4);

    const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`));
    expect(audit.missing).toEqual([]);
    expect(audit.duplicateVersions).toEqual([]);
    console.log(
      `sigterm: exit ${stopped.code} ${stopMs} ms after the signal, ${before} requests before it, resumed run ${summary.requests.requests} ` +
        `(uninterrupted ${full}), ${audit.missing.length} missing`,
    );
  });

  it('SIGINT while delivering: the batch in flight is finished and recorded, then exit 130; nothing is sent twice', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 100, seed: 43 }, destination: { batchSize: 10 } }));
    s.receiver.behave({ delayMs: 300 });
    const run = s.spawn(['backfill', '--since', SINCE]);
    s.receiver.behave({ onRequest: (count) => count === 3 && run.child.kill('SIGINT') });
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted by SIGINT; progress saved/);
    expect(s.receiver.accepted()).toHaveLength(30);
    const status = await statusOf(s);
    expect(status.totals).toMatchObject({ delivered: 30, pending: total(s) - 30 });
    expect(status.runs[0]).toMatchObject({ outcome: 'interrupted', exitCode: 130 });

    s.receiver.behave({ delayMs: 0, onRequest: undefined });
    const again = await s.cli(['backfill', '--since', SINCE]);
    expect(again.code).toBe(0);
    const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`));
    expect(audit).toMatchObject({ missing: [], duplicateVersions: [], regressions: [], resent: 0 });
    console.log(`sigint: exit ${stopped.code}, in-flight batch kept (30 delivered, ${total(s) - 30} pending), next run: ${audit.delivered} delivered, ${audit.resent} re-sent`);
  });

  it('SIGINT while the destination is down and being retried: exits 130 at once, the batch waits for the next run', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 44 }, destination: { retryBaseMs: 2000, retries: 5 } }));
    await s.receiver.down();
    const run = s.spawn(['backfill', '--since', SINCE, '--verbose']);
    await waitUntil(() => /retry 2 of 5/.test(run.output().stderr), 20_000, 'the second delivery retry');
    const signalledAt = Date.now();
    run.child.kill('SIGINT');
    const stopped = await run.done;
    const stopMs = Date.now() - signalledAt;
    expect(stopped.code).toBe(130);
    expect(stopMs).toBeLessThan(1500);
    expect((await statusOf(s)).totals).toMatchObject({ delivered: 0, pending: total(s) });

    await s.receiver.up();
    const again = await s.cli(['sync']);
    expect(again.code).toBe(0);
    const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`));
    expect(audit).toMatchObject({ missing: [], duplicateVersions: [], regressions: [] });
    console.log(`sigint-retrying: exit ${stopped.code} ${stopMs} ms after the signal (backoff up to 32 s), next run delivered ${audit.delivered}`);
  });
});
