// What a backfill costs in Front requests, through the real binary: the events strategy reads message
// bodies from the event stream and current states from one listing, so it requests a message only
// for a conversation whose latest message is older than the window.

import { describe, expect, it } from 'vitest';
import type { SandboxHandle, TruthConversation } from '../../src/sandbox/index.ts';
import { activeSince, importable, latestById, scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';

const DAY = 86_400_000;
const MESSAGE_EVENTS = new Set(['inbound', 'outbound', 'out_reply']);
const keep = closeAfterEach();

/** Ids of the latest messages that the event stream of a window from `sinceMs` does not carry. */
function latestMessagesBefore(sandbox: SandboxHandle, conversations: TruthConversation[], sinceMs: number): string[] {
  const emittedAt = new Map(sandbox.control.truth().events.filter((e) => e.target?.type === 'message').map((e) => [e.target!.id, e.emitted_at]));
  return conversations
    .map((c) => c.messages[c.messages.length - 1]!.id)
    .filter((id) => emittedAt.get(id)! * 1000 <= sinceMs)
    .sort();
}

const requestedMessages = (s: Scenario) =>
  s.sandbox.control
    .requestLog()
    .filter((e) => e.pathTemplate === '/messages/{message_id}')
    .map((e) => e.path.split('/')[2]!)
    .sort();

async function backfillFrom(s: Scenario, since: Date, extra: string[] = []) {
  s.sandbox.control.clearRequestLog();
  const r = await s.cli(['backfill', '--since', since.toISOString(), '--json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('request cost of a backfill', () => {
  it.each(['event-time', 'read-time'] as const)(
    'events strategy (%s snapshots): event pages, one listing, and a message request only where the latest message predates the window',
    async (snapshots) => {
      const s = keep(await scenario({ sandbox: { conversations: 400, seed: 61, eventSnapshots: snapshots } }));
      const since = new Date(Date.now() - 4 * DAY);
      const summary = await backfillFrom(s, since);
      const expected = activeSince(s.sandbox, since.getTime());

      expect(summary.strategy).toBe('events');
      expect(summary.strategyReason).toMatch(/events \d+ requests .* listing \d+ .*: events/);
      const delivered = latestById(s.receiver);
      expect([...delivered.keys()].sort()).toEqual(expected.map((c) => `front:${c.id}`).sort());
      for (const c of expected) {
        const h = delivered.get(`front:${c.id}`)!;
        expect(h.updatedAt).toBe(new Date(c.updated_at! * 1000).toISOString());
        expect(h.tags).toEqual((c.tags ?? []).map((t) => t.name).sort());
        expect(h.lastMessageAt).toBe(new Date(c.messages[c.messages.length - 1]!.created_at! * 1000).toISOString());
      }

      const missing = latestMessagesBefore(s.sandbox, expected, since.getTime());
      expect(missing.length).toBeGreaterThan(0);
      expect(requestedMessages(s)).toEqual(missing);
      const messageEvents = s.sandbox.control.truth().events.filter((e) => MESSAGE_EVENTS.has(e.type) && e.emitted_at * 1000 > since.getTime());
      const log = s.sandbox.control.requestLog();
      // Choosing the strategy may read a few events pages from inside the window and one listing page.
      expect(log.filter((e) => e.path === '/events').length).toBeLessThanOrEqual(Math.ceil(messageEvents.length / 15) + 1 + 3);
      // Each listing page after the first is followed by a re-read of the one before it (items
      // sliding under offset-style tokens, listing-source.ts): two requests per page at most, plus the choice's page.
      expect(log.filter((e) => e.path === '/conversations').length).toBeLessThanOrEqual(2 * Math.ceil(expected.length / 100) + 2);
      expect(log.length / expected.length).toBeLessThan(0.5);
    },
  );

  it('--limit N lists the newest conversations, N to a page, instead of walking the event stream, and says so', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 300, seed: 62 } }));
    const summary = await backfillFrom(s, new Date(Date.now() - 8 * DAY), ['--limit', '10']);
    expect(summary.strategy).toBe('listing');
    expect(summary.strategyReason).toMatch(/--limit 10/);
    // The newest ten, less the spam and trashed ones the default scope leaves out.
    const newest = [...s.sandbox.control.truth().conversations].sort((a, b) => b.updated_at! - a.updated_at!).slice(0, 10);
    expect([...latestById(s.receiver).keys()].sort()).toEqual(importable(newest).map((c) => `front:${c.id}`).sort());
    const log = s.sandbox.control.requestLog();
    expect(log.filter((e) => e.path === '/events')).toEqual([]);
    // /me (which company the state belongs to), one listing page, GET /company/statuses once for the
    // run (ticketing), at most one message each.
    expect(log.length).toBeLessThanOrEqual(1 + 1 + 1 + 10);
  });
});
