// Scenario 2: Front misbehaving. 30% 5xx, connection resets, truncated JSON, a page that hangs past
// the client's timeout and a 429 storm with retry-after: every run completes, or exits 5 with its
// progress saved and the next run carries on; in the end no conversation is missing or stale.
// One at a time: 429 with retry-after, 5xx past front.retries, 401, a next link to another origin.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { lines } from '../helpers/cli.ts';
import { activeSince, latestById, scenario, closeAfterEach, deliveredIds, idsOf } from '../helpers/e2e.ts';
import { auditDelivery, waitUntil } from '../helpers/reliability.ts';

const DAY = 86_400_000;
const MAX_RUNS = 12;

const keep = closeAfterEach();

describe('Front faults', () => {
  it.each([
    { strategy: 'events', token: 'full' },
    { strategy: 'listing', token: 'noEvents' },
  ] as const)('$strategy strategy: 5xx on 30 percent, resets, malformed JSON, a hung page, a 429 storm: runs until done, nothing skipped', async ({ strategy, token }) => {
    const started = Date.now();
    const s = keep(await scenario({
      // A window of a second: the storm's retry-after (1 s) is one a run waits out.
      sandbox: { conversations: 150, seed: 51, windowMs: 1000, faults: { errorRate: 0.3, resetRate: 0.05, malformedRate: 0.05, hangMs: 2000 } },
      token,
      front: { timeoutMs: 500, retries: 5 },
    }));
    const page = strategy === 'events' ? '/events' : '/conversations';
    s.sandbox.control.failNext({ path: page, kind: 'hang', count: 1 });
    const since = Date.now() - 3 * DAY;
    const args = ['backfill', '--since', new Date(since).toISOString(), '--json'];

    const exits: number[] = [];
    const problems: string[] = [];
    let stormAt: number | null = null;
    let previous: { code: number | null; pages: number } | null = null;
    while (exits.at(-1) !== 0 && exits.length < MAX_RUNS) {
      const run = s.start(args);
      if (stormAt === null) {
        // Mid-run, once the client is well under way: every request refused with retry-after for a while.
        await waitUntil(() => s.sandbox.control.requestLog().length >= 15 || run.ended(), 30_000, '15 Front requests');
        s.sandbox.control.throttleNext({ count: 10, retryAfterSeconds: 1 });
        stormAt = s.sandbox.control.requestLog().length;
      }
      const r = await run.done;
      exits.push(r.code ?? -1);
      const summary = JSON.parse(r.stdout);
      if (r.code !== 0 && r.code !== 5) problems.push(`run ${exits.length}: exit ${r.code}: ${r.stderr}`);
      if (r.code === 5 && !/Front (unavailable|kept refusing|asked to wait)/.test(summary.error?.message ?? '')) problems.push(`run ${exits.length}: ${summary.error?.message}`);
      // A run after one that saved pages continues from them.
      if (previous?.code === 5 && previous.pages > 0 && !summary.resumed) problems.push(`run ${exits.length} did not resume`);
      previous = { code: r.code, pages: summary.counts?.pages ?? 0 };
    }
    expect(problems).toEqual([]);
    expect(exits.at(-1)).toBe(0);

    const log = s.sandbox.control.requestLog();
    const faults = {
      '5xx': log.filter((e) => e.status >= 500).length,
      reset: log.filter((e) => e.status === 0).length,
      '429': log.filter((e) => e.status === 429).length,
    };
    expect(faults['429']).toBeGreaterThan(0);
    expect(faults['5xx']).toBeGreaterThan((log.length - faults['429']) * 0.1);

    // Every conversation active in the window arrived, each at its current state.
    const expected = activeSince(s.sandbox, since);
    const audit = auditDelivery(s.receiver, expected.map((c) => `front:${c.id}`));
    expect(audit.missing).toEqual([]);
    expect(audit.unexpected).toEqual([]);
    expect(audit.duplicateVersions).toEqual([]);
    const latest = latestById(s.receiver);
    const stale = expected.filter((c) => {
      const h = latest.get(`front:${c.id}`)!;
      return h.updatedAt !== new Date(c.updated_at! * 1000).toISOString() || JSON.stringify(h.tags) !== JSON.stringify((c.tags ?? []).map((t) => t.name).sort());
    });
    expect(stale.map((c) => c.id)).toEqual([]);

    console.log(
      `front-faults (${strategy}): ${log.length} requests, ${faults['5xx']} 5xx, ${faults.reset} resets or hangs, ${faults['429']} 429s, ` +
        `${exits.length} runs (exits ${exits.join(', ')}), ${expected.length} conversations, ${audit.missing.length} missing, ${stale.length} stale, ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }, 180_000);

  it('a page that keeps timing out: exit 5 within the retry budget, its position saved; the next run reads on from it', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 200, seed: 52, faults: { hangMs: 2000 } }, front: { timeoutMs: 300, retries: 2 } }));
    const since = new Date(Date.now() - 8 * DAY).toISOString();
    // Page 3 of the event stream onwards hangs: the first two pages are read and saved.
    const run = s.start(['backfill', '--since', since, '--json']);
    await waitUntil(() => s.sandbox.control.requestLog().filter((e) => e.path === '/events').length >= 2, 20_000, 'two event pages');
    s.sandbox.control.failNext({ path: '/events', kind: 'hang', count: 3 });
    const failed = await run.done;
    expect(failed.code).toBe(5);
    expect(JSON.parse(failed.stdout).error.message).toMatch(/timeout/);
    expect(failed.ms).toBeLessThan(10_000);

    const again = await s.cli(['backfill', '--since', since, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).resumed).toBe(true);
    const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.parse(since)).map((c) => `front:${c.id}`));
    expect(audit.missing).toEqual([]);
    console.log(`front-faults (hung page): exit 5 after ${failed.ms} ms, next run resumed and completed, ${audit.missing.length} missing`);
  });
});

describe('Front faults, one at a time', () => {
  it('429: waits retry-after before retrying, succeeds, and the summary counts the refusals', async () => {
    // A window of a second: a run waits out a retry-after of up to five windows.
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 51, windowMs: 1000 } }));
    const retryAfterSeconds = 1;
    s.sandbox.control.throttleNext({ count: 2, retryAfterSeconds });
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/, 2 rate-limited;/);
    expect(r.ms).toBeGreaterThanOrEqual(2 * retryAfterSeconds * 1000);
    expect(deliveredIds(s)).toEqual(idsOf(s.sandbox.control.truth().conversations));
    // Measured at the sandbox: after each 429, nothing arrives until retry-after has passed.
    const log = s.sandbox.control.requestLog();
    const refused = log.filter((e) => e.status === 429);
    expect(refused).toHaveLength(2);
    for (const e of refused) {
      const next = log.find((later) => later.at > e.at)!;
      expect(next.at - e.at).toBeGreaterThanOrEqual(retryAfterSeconds * 1000 - 20);
    }
  });

  it('5xx: retried front.retries times, then exit 5 naming the endpoint; with fewer failures the same command succeeds', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 52 }, front: { retries: 2 } }));
    s.sandbox.control.failNext({ path: '/events', count: 3, status: 503 });
    const failed = await s.cli(['backfill', '--since', '8d']);
    expect(failed.code).toBe(5);
    expect(failed.stderr).toMatch(/Front unavailable at 127\.0\.0\.1:\d+: GET \/events failed 3 times \(last: 503/);
    expect(s.sandbox.control.requestLog().filter((e) => e.path === '/events').map((e) => e.status)).toEqual([503, 503, 503]);

    s.sandbox.control.failNext({ path: '/events', count: 2, status: 500 });
    const ok = await s.cli(['backfill', '--since', '8d']);
    expect(ok.code).toBe(0);
    expect(deliveredIds(s)).toEqual(idsOf(s.sandbox.control.truth().conversations));
  });

  it.each([[['connect']], [['connect', '--check']], [['backfill', '--since', '7d']]])('401 on %j: exit 3 saying the token was refused', async (args) => {
    const s = keep(await scenario({ sandbox: { conversations: 5, seed: 53 }, token: 'revoked' }));
    const r = await s.cli(args);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      `front-import: Front rejected the token (401): check it is active and copied in full (Front at ${s.sandbox.url}; token from FRONT_API_TOKEN)`,
    ]);
    expect(s.receiver.requests).toBe(0);
  });

  it('a next link to another origin is refused (exit 5, says why), never contacted, and never saved as a checkpoint', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 54 } }));
    const trap = await listenCounting();
    try {
      for (const origin of [trap.origin, 'http://127.0.0.2:9']) {
        s.sandbox.control.setForeignNextOrigin(origin);
        const r = await s.cli(['backfill', '--since', '8d']);
        expect(r.code).toBe(5);
        expect(lines(r.stderr)).toEqual([
          `front-import: Front's next page link points at ${origin}, not ${new URL(s.sandbox.url).host}; refusing to send the token there`,
        ]);
      }
      expect(trap.connections()).toBe(0);
    } finally {
      await trap.close();
    }
    s.sandbox.control.setForeignNextOrigin(null);
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    expect(deliveredIds(s)).toEqual(idsOf(s.sandbox.control.truth().conversations));
  });
});

/** An HTTP server on 127.0.0.1 that counts connections to it: the "other host" of a foreign link. */
async function listenCounting(): Promise<{ origin: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const trap = createServer((_req, res) => res.end('{"_results":[],"_pagination":{"next":null}}'));
  trap.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const { port } = trap.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        trap.closeAllConnections();
        trap.close(() => resolve());
      }),
  };
}
