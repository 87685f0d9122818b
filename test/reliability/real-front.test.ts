// Scenario 6: the real Front, as far as its docs leave it open (issue 9). Each case is a behaviour
// the sandbox plays on request, run through the command line in-process (the process itself is
// not the point here): rate limiters of every model, a
// reset that never arrives, cyclic next links, a page without _pagination, retry-after as a date
// from a skewed clock, 429s without retry-after. Every run ends with every Highlight delivered, or
// exits 5 with its progress saved and the next run completes.

import { describe, expect, it } from 'vitest';
import type { LimiterModel, RequestLogEntry } from '../../src/sandbox/types.ts';
import { activeSince, latestById, scenario, statusOf, closeAfterEach, type Scenario } from '../helpers/e2e.ts';
import { auditDelivery, waitUntil } from '../helpers/reliability.ts';

const DAY = 86_400_000;
const keep = closeAfterEach();
const since7d = () => new Date(Date.now() - 7 * DAY).toISOString();

/** Answered requests per window over the time they span, as the sandbox saw them. */
function achievedPerWindow(log: RequestLogEntry[], windowMs: number): number {
  const served = log.filter((e) => e.status !== 429 && e.status !== 0).map((e) => e.at);
  return ((served.length - 1) / (served.at(-1)! - served[0]!)) * windowMs;
}

function longestPause(log: RequestLogEntry[]): number {
  let pause = 0;
  for (let i = 1; i < log.length; i++) pause = Math.max(pause, log[i]!.at - log[i - 1]!.at);
  return pause;
}

/** The run after a failed one resumes from the pages it saved, not from the start, and delivers everything. */
async function resumesAndCompletes(s: Scenario, since: string): Promise<void> {
  const again = await s.cli(['backfill', '--since', since, '--json']);
  expect(again.code, again.stderr).toBe(0);
  expect(JSON.parse(again.stdout).resumed).toBe(true);
  expect(auditDelivery(s.receiver, activeSince(s.sandbox, Date.parse(since)).map((c) => `front:${c.id}`)).missing).toEqual([]);
}

/** Waits (ms) the binary announced for 429s: "waiting 0.3 s". */
const announcedWaits = (stderr: string) => [...stderr.matchAll(/\(429\) on [^:]+: waiting ([\d.]+) s/g)].map((m) => Number(m[1]) * 1000);

describe('the real Front', () => {
  it.each(['fixed', 'sliding-log', 'sliding-window', 'token-bucket'] as LimiterModel[])(
    '%s limiter: a 7-day backfill delivers every Highlight at the configured pace, without a 429 storm',
    async (limiter) => {
      const windowMs = 2000;
      const s = keep(await scenario({ sandbox: { conversations: 300, seed: 91, limiter, windowMs } }));
      const since = since7d();
      const r = await s.cli(['backfill', '--since', since, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.parse(since)).map((c) => `front:${c.id}`));
      expect(audit.missing).toEqual([]);
      const log = s.sandbox.control.requestLog();
      const achieved = achievedPerWindow(log, windowMs);
      // professional: 100 per window, share 0.8. The bench holds the 90% goal on a quiet machine;
      // here the margin is for a loaded CI machine. A stalled client reaches about 1%.
      expect(achieved / 80).toBeGreaterThan(0.25);
      expect(log.filter((e) => e.status === 429).length).toBeLessThanOrEqual(3);
      expect(longestPause(log)).toBeLessThan(windowMs);
      console.log(`real-front (${limiter}): ${log.length} requests, ${(achieved / 80).toFixed(2)} of the configured rate, longest pause ${longestPause(log)} ms`);
    },
    60_000,
  );

  it('others using the budget: holds over 5 s of a window are said without --verbose, with why and until when', async () => {
    // Enough conversations that most of the run is still ahead after the first 30 requests, however
    // slow or fast the machine: a run that ends before others take the budget has nothing to hold.
    // A window of a second, Front's minute compressed as this scenario was written against.
    const s = keep(await scenario({ sandbox: { conversations: 1500, seed: 92, windowMs: 1000 } }));
    const run = s.start(['backfill', '--since', since7d()]);
    // Once the client has read the windows as fixed, others take nearly all of the budget. It reads
    // them from resets seen across windows, so the run must have spanned a few: on a loaded machine
    // 30 requests can all fall in the first one, and the client then backs off without a hold.
    const spanned = (log: RequestLogEntry[]) => (log.length > 0 ? log.at(-1)!.at - log[0]!.at : 0);
    await waitUntil(() => s.sandbox.control.requestLog().length >= 30 && spanned(s.sandbox.control.requestLog()) >= 3000, 20_000, '30 requests over three windows');
    s.sandbox.control.setOtherLoad(99);
    const line = /^warning: pacing: Front reports \d+ of 100 requests left.*: holding requests for [\d.]+ s, until \d\d:\d\d:\d\dZ$/m;
    await waitUntil(() => line.test(run.output().stderr) || run.ended(), 20_000, 'a hold said on stderr');
    expect(run.output().stderr).toMatch(line);
    // Others stop: the run finishes at the full pace.
    s.sandbox.control.setOtherLoad(0);
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(line);
  }, 60_000);

  it('a next link that cycles over two pages: exit 5 naming the loop within a few requests; the next run completes', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 200, seed: 93 } }));
    s.sandbox.control.setCyclicNext({ path: '/events', length: 2 });
    const since = since7d();
    const looping = s.start(['backfill', '--since', since, '--json']);
    // Before the fix the loop never ends: stop it after a bound and fail on the count.
    const ended = await Promise.race([looping.done, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000))]);
    if (!ended) {
      looping.interrupt('SIGTERM');
      await looping.done;
    }
    const events = s.sandbox.control.requestLog().filter((e) => e.path === '/events').length;
    expect(ended?.code).toBe(5);
    expect(JSON.parse(ended!.stdout).error.message).toMatch(/loop back to a page already read/);
    expect(events).toBeLessThanOrEqual(6);

    s.sandbox.control.setCyclicNext(null);
    await resumesAndCompletes(s, since);
  }, 60_000);

  it('listing: one page without _pagination is retried, not read as the end of the list', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 400, seed: 94 }, token: 'noEvents' }));
    const since = since7d();
    s.sandbox.control.failNext({ path: '/conversations', kind: 'no-pagination', count: 1 });
    const r = await s.cli(['backfill', '--since', since, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(auditDelivery(s.receiver, activeSince(s.sandbox, Date.parse(since)).map((c) => `front:${c.id}`)).missing).toEqual([]);
  }, 60_000);

  it.each([
    { strategy: 'listing', token: 'noEvents', path: '/conversations' },
    { strategy: 'events', token: 'full', path: '/events' },
  ] as const)('$strategy: pages without _pagination that keep coming: exit 5 with progress saved; the next run resumes and completes', async ({ token, path }) => {
    const s = keep(await scenario({ sandbox: { conversations: 400, seed: 94 }, token, front: { retries: 2 } }));
    const since = since7d();
    const run = s.start(['backfill', '--since', since, '--json']);
    // Pages of the walk itself (a page token), not the pages the automatic strategy samples first.
    await waitUntil(() => s.sandbox.control.requestLog().filter((e) => e.path === path && e.status === 200 && e.query.page_token).length >= 2, 20_000, `two ${path} pages`);
    s.sandbox.control.failNext({ path, kind: 'no-pagination', count: 1000 });
    const failed = await run.done;
    expect(failed.code).toBe(5);
    const summary = JSON.parse(failed.stdout);
    expect(summary.error.message).toMatch(/without _pagination/);

    s.sandbox.control.clearFaults();
    await resumesAndCompletes(s, since);
  }, 60_000);

  it('retry-after as an HTTP date from a Front ten minutes ahead: waited out against its Date header', async () => {
    // A window of a second: a retry-after of one or two seconds is one a run waits out.
    const s = keep(await scenario({ sandbox: { conversations: 100, seed: 95, clockSkewMs: 600_000, windowMs: 1000 } }));
    s.sandbox.control.setRetryAfter('http-date');
    const run = s.start(['backfill', '--since', since7d(), '--json']);
    await waitUntil(() => s.sandbox.control.requestLog().length >= 3, 20_000, 'three requests');
    s.sandbox.control.throttleNext({ count: 2, retryAfterSeconds: 1 });
    const r = await run.done;
    expect(r.code, r.stdout).toBe(0);
    const waits = announcedWaits(r.stderr);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    // A date rounded up to Front's next second, one second on: at most two seconds, never ten minutes.
    for (const w of waits) expect(w).toBeLessThanOrEqual(2000);
  }, 60_000);

  it('429s without retry-after while the headers show room: short backoffs, not a wait for a reset a window away', async () => {
    // A sliding-window limiter reports its reset a full window (10 s here) ahead on every answer.
    const windowMs = 10_000;
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 96, limiter: 'sliding-window', windowMs } }));
    s.sandbox.control.setRetryAfter('none');
    const run = s.start(['backfill', '--since', since7d(), '--json']);
    await waitUntil(() => s.sandbox.control.requestLog().length >= 3, 20_000, 'three requests');
    s.sandbox.control.throttleNext({ count: 3, retryAfterSeconds: 1 });
    const r = await run.done;
    expect(r.code, r.stdout).toBe(0);
    const waits = announcedWaits(r.stderr);
    expect(waits).toHaveLength(3);
    for (const w of waits) expect(w).toBeLessThan(windowMs / 10);
  }, 60_000);
});

describe('the real Front: paging, clocks and unreadable conversations', () => {
  /** Starts `args`, stops it as SIGTERM does once `path` has been read `pages` times, and returns its result. */
  async function interruptedAfter(s: Scenario, args: string[], path: string, pages: number) {
    const run = s.start(args);
    await waitUntil(() => s.sandbox.control.requestLog().filter((e) => e.path === path && e.status === 200).length >= pages, 20_000, `${pages} ${path} pages`);
    run.interrupt('SIGTERM');
    return run.done;
  }

  it.each([
    { strategy: 'events', token: 'full', path: '/events' },
    { strategy: 'listing', token: 'noEvents', path: '/conversations' },
  ] as const)('$strategy: the checkpoint of an interrupted sync holds a page token Front has since expired: the next sync starts that stage again from its saved time, says so, and completes', async ({ token, path }) => {
    const s = keep(await scenario({ sandbox: { conversations: 300, seed: 97, faults: { latencyMs: 40 } }, token }));
    const stopped = await interruptedAfter(s, ['sync', '--since', '8d'], path, 3);
    expect(stopped.code).toBe(143);
    s.sandbox.control.expirePageTokens();
    s.sandbox.control.setFaults({ latencyMs: 0 });
    const again = await s.cli(['sync', '--json']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stderr).toMatch(/page_token has expired: (reading the event stream again from \S+ \(the last time saved, 60 s overlap\)|listing conversations again from the newest)/);
    expect(JSON.parse(again.stdout).resumed).toBe(true);
    const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`));
    expect(audit.missing).toEqual([]);
    // And the run after that is an ordinary one.
    const third = await s.cli(['sync']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).not.toMatch(/page_token/);
  }, 60_000);

  it('a page token expiring mid-run (400 on the read-ahead page): the stage goes on from its last page, once', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 150, seed: 98, faults: { latencyMs: 40 } } }));
    const since = since7d();
    const run = s.start(['backfill', '--since', since, '--json']);
    await waitUntil(() => s.sandbox.control.requestLog().filter((e) => e.path === '/events').length >= 4, 20_000, 'four event pages');
    s.sandbox.control.expirePageTokens();
    const r = await run.done;
    expect(r.code, r.stdout).toBe(0);
    expect(r.stderr.match(/page_token has expired/g)).toHaveLength(1);
    expect(auditDelivery(s.receiver, activeSince(s.sandbox, Date.parse(since)).map((c) => `front:${c.id}`)).missing).toEqual([]);
  }, 60_000);

  it.each([
    { skew: 'behind', ms: -600_000 },
    { skew: 'ahead', ms: 600_000 },
  ])("Front's clock 10 minutes $skew: the cursor follows Front's clock, a message and a tag just after sync #1 are imported by sync #2, and the difference is said", async ({ ms }) => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 99, clockSkewMs: ms } }));
    const first = await s.cli(['sync', '--since', '8d']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(new RegExp(`Front's clock is 10\\.0 min ${ms < 0 ? 'behind' : 'ahead of'} this machine's`));
    const frontNow = Date.now() + ms;
    const cursor = Date.parse((await statusOf(s)).cursor.value);
    // On Front's clock: at most the overlap (120 s) and the run's own length before Front's now.
    expect(cursor).toBeLessThanOrEqual(frontNow - 120_000);
    expect(cursor).toBeGreaterThan(frontNow - 120_000 - 30_000);

    const [withMessage, toTag] = s.sandbox.control.truth().conversations;
    s.sandbox.control.addMessage(withMessage!.id, { text: 'Any update on this?' });
    s.sandbox.control.tag(toTag!.id, 'urgent');
    const before = s.receiver.accepted().length;
    const second = await s.cli(['sync']);
    expect(second.code, second.stderr).toBe(0);
    const latest = latestById(s.receiver);
    expect(s.receiver.accepted().length).toBeGreaterThan(before);
    expect(String(latest.get(`front:${withMessage!.id}`)!.text)).toContain('Any update on this?');
    expect(latest.get(`front:${toTag!.id}`)!.tags).toContain('urgent');
  }, 60_000);

  it("a conversation whose messages answer 404: skipped with a warning and recorded (status shows it), the rest imported, retried and imported once Front serves it", async () => {
    const s = keep(await scenario({ sandbox: { conversations: 150, seed: 100 }, token: 'noEvents' }));
    const since = since7d();
    const expected = activeSince(s.sandbox, Date.parse(since));
    const poisoned = expected[Math.floor(expected.length / 2)]!.id;
    s.sandbox.control.poisonConversation(poisoned);
    const r = await s.cli(['backfill', '--since', since]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`${poisoned}: Front cannot serve its messages .*404.*: skipped, recorded, and tried again on the next runs`));
    const audit = auditDelivery(s.receiver, expected.map((c) => `front:${c.id}`));
    expect(audit.missing).toEqual([`front:${poisoned}`]);
    const status = await statusOf(s);
    expect(status.unreadable).toEqual([expect.objectContaining({ id: poisoned, attempts: 1, error: expect.stringMatching(/404/) })]);
    expect((await s.cli(['status'])).stdout).toContain(`${poisoned} since`);

    // Still unreadable: counted again, nothing else disturbed.
    expect((await s.cli(['sync'])).code).toBe(0);
    expect((await statusOf(s)).unreadable).toEqual([expect.objectContaining({ id: poisoned, attempts: 2 })]);

    s.sandbox.control.poisonConversation(poisoned, false);
    const healed = await s.cli(['sync']);
    expect(healed.code, healed.stderr).toBe(0);
    expect(auditDelivery(s.receiver, expected.map((c) => `front:${c.id}`)).missing).toEqual([]);
    expect((await statusOf(s)).unreadable).toEqual([]);
  }, 60_000);

  it('offset-style page tokens with conversations deleted while the listing pages: none at a page boundary is skipped', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 500, seed: 101, pageTokens: 'offset' }, token: 'noEvents' }));
    s.sandbox.control.setDeletesDuringPaging(1);
    const since = since7d();
    const r = await s.cli(['backfill', '--since', since]);
    expect(r.code, r.stderr).toBe(0);
    // Every conversation still there (the deleted ones were delivered before they went) arrived.
    const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.parse(since)).map((c) => `front:${c.id}`));
    expect(audit.missing).toEqual([]);
  }, 60_000);
});
