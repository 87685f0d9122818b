// The automatic strategy through the real binary, on a window whose message stream turns dense
// halfway (email-like conversations first, chat-heavy ones after): it starts on the event stream,
// switches to the listing once the stream's observed cost per Highlight passes the listing's,
// keeps the messages the stream already gave, survives kill -9 after the switch, and delivers
// every Highlight once.

import { describe, expect, it } from 'vitest';
import { activeSince, scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';
import { waitUntil } from '../helpers/reliability.ts';

const DAY = 86_400_000;
const keep = closeAfterEach();

/** 120 conversations of 2 messages in the older half of the week, 120 of 40 in the newer half. */
const turningDense = (seed: number) => scenario({ sandbox: { conversations: 240, seed, plan: 'enterprise', messagesPerConversation: [2, 40] } });

const expectedIds = (s: Scenario) => activeSince(s.sandbox, Date.now() - 7 * DAY).map((c) => `front:${c.id}`).sort();
const requestCount = (s: Scenario) => s.sandbox.control.requestLog().length;
const listingMessageFetches = (s: Scenario) => s.sandbox.control.requestLog().filter((e) => e.pathTemplate === '/messages/{message_id}').length;

function deliveredOnce(s: Scenario): string[] {
  const accepted = s.receiver.accepted();
  expect(accepted.length).toBe(new Set(accepted.map((d) => d.id)).size);
  return accepted.map((d) => d.id).sort();
}

describe('automatic strategy on a window that turns dense', () => {
  it('starts on the event stream, switches to the listing mid-run, reports it in --json and --verbose, and costs less than either alone', async () => {
    const s = keep(await turningDense(71));
    const r = await s.cli(['backfill', '--since', '7d', '--json', '--verbose']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const auto = requestCount(s);

    expect(summary.strategy).toBe('listing');
    const choice = summary.strategyChoice;
    expect(choice.mode).toBe('auto');
    expect(choice.estimate.eventsPerHighlight).toBeLessThan(choice.estimate.listingPerHighlight);
    expect(choice.switches).toHaveLength(1);
    const [change] = choice.switches;
    expect(change).toMatchObject({ from: 'events', to: 'listing' });
    expect(change.atFraction).toBeGreaterThan(0.3);
    expect(change.atFraction).toBeLessThan(0.95);
    expect(change.observedPerHighlight).toBeGreaterThan(change.otherPerHighlight);
    expect(summary.strategyReason).toMatch(/switched from events to listing/);
    expect(r.stderr).toMatch(/strategy events: estimated \d+ conversations/);
    expect(r.stderr).toMatch(/strategy: switched from events to listing: the event stream turned dense/);

    expect(deliveredOnce(s)).toEqual(expectedIds(s));
    // The conversations whose messages the stream already gave cost no message request after the switch.
    expect(listingMessageFetches(s)).toBeLessThan(expectedIds(s).length * 0.8);

    const alone: Record<string, number> = {};
    for (const strategy of ['events', 'listing']) {
      const from = requestCount(s);
      const ref = await s.reference(['backfill', '--since', '7d', '--strategy', strategy]);
      expect(ref.result.code).toBe(0);
      expect(ref.delivered.map((d) => d.id).sort()).toEqual(expectedIds(s));
      alone[strategy] = requestCount(s) - from;
    }
    expect(auto).toBeLessThan(Math.min(alone.events!, alone.listing!));
  });

  it('kill -9 after the switch: the re-run resumes on the listing, reads no events page again, and delivers every Highlight once', async () => {
    const s = keep(await turningDense(72));
    const run = s.spawn(['backfill', '--since', '7d']);
    // Message requests start only once the run has switched to the listing.
    await waitUntil(() => listingMessageFetches(s) >= 10, 30_000, 'message requests after the switch');
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(s.receiver.accepted()).toEqual([]);

    const before = requestCount(s);
    const again = await s.cli(['backfill', '--since', '7d', '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.resumed).toBe(true);
    expect(summary.strategy).toBe('listing');
    expect(summary.strategyChoice.switches).toMatchObject([{ from: 'events', to: 'listing' }]);
    const resumedLog = s.sandbox.control.requestLog().slice(before);
    expect(resumedLog.filter((e) => e.path === '/events')).toEqual([]);
    expect(deliveredOnce(s)).toEqual(expectedIds(s));
  });
});
