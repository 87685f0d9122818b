// Whose words a Highlight carries (highlights.textFrom) and what the choice costs in Front requests,
// the default scope's spam/trash rule, and the schema-2 upgrade: through the real binary against
// the sandbox, every request counted from the sandbox's log.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { SandboxHandle, TruthConversation, TruthMessage } from '../../src/sandbox/index.ts';
import { activeSince, importable, latestById, scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';

const DAY = 86_400_000;
const keep = closeAfterEach();

const textFromConfig = (mode: string) => `highlights:\n  textFrom: ${mode}`;

/** Message requests by kind: GET /messages/{id}, GET /conversations/{id}/messages. */
function messageRequests(s: Scenario): { single: number; listings: string[] } {
  const log = s.sandbox.control.requestLog();
  return {
    single: log.filter((e) => e.pathTemplate === '/messages/{message_id}').length,
    listings: log.filter((e) => e.pathTemplate === '/conversations/{conversation_id}/messages').map((e) => e.path.split('/')[2]!).sort(),
  };
}

/** Ids of the messages whose events fall in a window from `sinceMs`. */
function inWindow(sandbox: SandboxHandle, sinceMs: number): Set<string> {
  return new Set(sandbox.control.truth().events.filter((e) => e.target?.type === 'message' && e.emitted_at * 1000 > sinceMs).map((e) => e.target!.id));
}

const inbound = (c: TruthConversation) => c.messages.filter((m) => m.is_inbound);
const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];

async function backfill(s: Scenario, since: Date) {
  s.sandbox.control.clearRequestLog();
  const r = await s.cli(['backfill', '--since', since.toISOString(), '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

function expectText(h: Record<string, unknown> | undefined, message: TruthMessage) {
  expect(h?.text).toBe(message.own_words);
  expect(h?.textAuthor).toMatchObject({ role: message.is_inbound ? 'customer' : 'teammate' });
  expect(h?.lastMessageAt).toBeDefined();
}

describe('highlights.textFrom', () => {
  it('latest-inbound: the customer\'s latest words, free when they are in the window\'s events, one listing otherwise', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 150, seed: 91 }, config: textFromConfig('latest-inbound') }));
    const since = new Date(Date.now() - 2 * DAY);
    const summary = await backfill(s, since);
    expect(summary.strategy).toBe('events');
    const expected = activeSince(s.sandbox, since.getTime());
    const byId = latestById(s.receiver);
    expect([...byId.keys()].sort()).toEqual(expected.map((c) => `front:${c.id}`).sort());
    const seen = inWindow(s.sandbox, since.getTime());
    const needListing: string[] = [];
    let agentLast = 0;
    for (const c of expected) {
      const wanted = last(inbound(c)) ?? last(c.messages)!;
      expectText(byId.get(`front:${c.id}`), wanted);
      if (!last(c.messages)!.is_inbound && last(inbound(c))) agentLast += 1;
      if (!last(inbound(c)) || !seen.has(last(inbound(c))!.id)) needListing.push(c.id);
    }
    // The agent's reply is the latest message often enough for the choice to matter.
    expect(agentLast).toBeGreaterThan(expected.length / 5);
    expect(needListing.length).toBeGreaterThan(0);
    const cost = messageRequests(s);
    expect(cost).toEqual({ single: 0, listings: needListing.sort() });
  });

  it('first-inbound: the original ask, free for conversations begun in the window, one listing otherwise, never again once stored', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 150, seed: 92 }, config: textFromConfig('first-inbound') }));
    const since = new Date(Date.now() - 3 * DAY);
    await backfill(s, since);
    const expected = activeSince(s.sandbox, since.getTime());
    const byId = latestById(s.receiver);
    const needListing: string[] = [];
    for (const c of expected) {
      expectText(byId.get(`front:${c.id}`), inbound(c)[0] ?? last(c.messages)!);
      const begunInWindow = c.created_at! * 1000 >= since.getTime();
      if (!begunInWindow || inbound(c).length === 0) needListing.push(c.id);
    }
    expect(needListing.length).toBeGreaterThan(0);
    expect(needListing.length).toBeLessThan(expected.length);
    expect(messageRequests(s)).toEqual({ single: 0, listings: needListing.sort() });

    // A customer's follow-up and an agent reply change the latest message, not the original ask.
    const [one, two] = expected.filter((c) => inbound(c).length > 0);
    s.sandbox.control.addMessage(one!.id, { text: 'Any news?' });
    s.sandbox.control.addMessage(two!.id, { text: 'We are on it.', inbound: false });
    s.sandbox.control.clearRequestLog();
    const sync = await s.cli(['sync']);
    expect(sync.code).toBe(0);
    const after = latestById(s.receiver);
    for (const c of [one!, two!]) expect(after.get(`front:${c.id}`)!.text).toBe(inbound(c)[0]!.own_words);
    expect(messageRequests(s)).toEqual({ single: 0, listings: [] });
  });

  it('latest-inbound keeps the customer\'s words when an agent replies, with no message request; the listing strategy pays at most one per conversation', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 93 }, config: textFromConfig('latest-inbound') }));
    await backfill(s, new Date(Date.now() - 8 * DAY));
    const target = importable(s.sandbox.control.truth().conversations).find((c) => c.messages[c.messages.length - 1]!.is_inbound)!;
    const words = last(inbound(target))!.own_words;
    s.sandbox.control.addMessage(target.id, { text: 'Thanks, we are looking into it.', inbound: false });
    s.sandbox.control.clearRequestLog();
    expect((await s.cli(['sync'])).code).toBe(0);
    const h = latestById(s.receiver).get(`front:${target.id}`)!;
    expect(h.text).toBe(words);
    expect(h.lastMessageAt).toBe(new Date(last(s.sandbox.control.truth().conversations.find((c) => c.id === target.id)!.messages)!.created_at! * 1000).toISOString());
    expect(messageRequests(s)).toEqual({ single: 0, listings: [] });

    const listing = keep(await scenario({ sandbox: { conversations: 60, seed: 93 }, token: 'noEvents', config: textFromConfig('latest-inbound') }));
    const summary = await backfill(listing, new Date(Date.now() - 8 * DAY));
    expect(summary.strategy).toBe('listing');
    const cost = messageRequests(listing);
    const delivered = latestById(listing.receiver);
    expect(new Set(cost.listings).size).toBe(cost.listings.length);
    expect(cost.single + cost.listings.length).toBeLessThanOrEqual(delivered.size);
    for (const c of activeSince(listing.sandbox, 0)) expectText(delivered.get(`front:${c.id}`), last(inbound(c)) ?? last(c.messages)!);
  });
});

describe('spam and trash', () => {
  it('are not imported by default; one already delivered that moves there is delivered once more with that status; scope.statuses brings them in', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 94 } }));
    const spam = s.sandbox.control.addConversation({ subject: 'WIN A PRIZE', status: 'spam', messages: [{ text: 'Click here' }] });
    await backfill(s, new Date(Date.now() - 8 * DAY));
    const byId = latestById(s.receiver);
    expect(byId.has(`front:${spam}`)).toBe(false);
    expect([...byId.values()].filter((h) => h.status === 'trashed' || h.status === 'spam')).toEqual([]);

    const victim = importable(s.sandbox.control.truth().conversations)[0]!;
    s.sandbox.control.setStatus(victim.id, 'deleted');
    const before = s.receiver.accepted().length;
    expect((await s.cli(['sync'])).code).toBe(0);
    const resent = s.receiver.accepted().slice(before);
    expect(resent.map((h) => h.id)).toEqual([`front:${victim.id}`]);
    expect(latestById(s.receiver).get(`front:${victim.id}`)!.status).toBe('trashed');

    // Once the destination knows it is trashed, its later changes are not sent.
    s.sandbox.control.tag(victim.id, 'urgent');
    s.sandbox.control.addMessage(spam, { text: 'Last chance' });
    expect((await s.cli(['sync'])).code).toBe(0);
    expect(s.receiver.accepted().length).toBe(before + 1);

    const all = await s.cli(['backfill', '--since', '8d', '--status', 'spam', '--status', 'trashed', '--json']);
    expect(all.code).toBe(0);
    const latest = latestById(s.receiver);
    expect(latest.get(`front:${spam}`)?.status).toBe('spam');
    expect(latest.get(`front:${victim.id}`)?.tags).toContain('urgent');
  });
});

describe('statusName', () => {
  it('reads GET /company/statuses once per run with ticketing on; without ticketing it is null and never asked', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 96 } }));
    await backfill(s, new Date(Date.now() - 8 * DAY));
    expect(s.sandbox.control.requestLog().filter((e) => e.path === '/company/statuses')).toHaveLength(1);
    const names = new Set([...latestById(s.receiver).values()].map((h) => h.statusName));
    expect(names).toEqual(new Set(['Open', 'Waiting on customer', 'Resolved']));

    const off = keep(await scenario({ sandbox: { conversations: 40, seed: 96, ticketing: false } }));
    await backfill(off, new Date(Date.now() - 8 * DAY));
    expect(off.sandbox.control.requestLog().filter((e) => e.path === '/company/statuses')).toEqual([]);
    expect([...latestById(off.receiver).values()].every((h) => h.statusName === null && h.statusCategory === null)).toBe(true);
  });
});

describe('the schema-2 upgrade', () => {
  it('re-sends each conversation once, then only on real changes', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 50, seed: 95 } }));
    await backfill(s, new Date(Date.now() - 8 * DAY));
    const total = s.receiver.accepted().length;
    expect(total).toBe(importable(s.sandbox.control.truth().conversations).length);

    // The state as schema 1 left it: other versions, delivered, and message texts from the old rules.
    const db = new Database(s.work.db);
    db.exec(`UPDATE conversations SET version = 'v1-' || version, last_message = json_remove(last_message, '$.rules')`);
    db.exec(`UPDATE deliveries SET version = 'v1-' || version`);
    db.close();

    // Each conversation is re-sent once. (Its schema-2 version is the one the receiver already
    // has, so it answers 409 to the repeated Idempotency-Key: still accepted, counted by the run.)
    const again = await backfill(s, new Date(Date.now() - 8 * DAY));
    expect(again.counts).toMatchObject({ seen: 50, updated: total, created: 0, delivered: total });
    expect(again.counts.messageFetches).toBe(0);

    const third = await backfill(s, new Date(Date.now() - 8 * DAY));
    expect(third.counts).toMatchObject({ updated: 0, created: 0, delivered: 0 });
    const sync = await s.cli(['sync', '--json']);
    expect(JSON.parse(sync.stdout).counts).toMatchObject({ updated: 0, created: 0, delivered: 0 });
  });
});
