import { afterEach, describe, expect, it } from 'vitest';
import { generateWorkspace } from '../../src/sandbox/generate.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle, SandboxTruth } from '../../src/sandbox/types.ts';
import { allPages, type ServedEvent, withSandbox } from '../helpers/sandbox.ts';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const DAY = 86_400;
const clock = () => NOW;
const GENERATED_TYPES = ['inbound', 'outbound', 'out_reply', 'archive', 'reopen', 'trash', 'restore', 'tag', 'untag', 'assign', 'unassign', 'move'];

/** Truth with the sandbox's own origin (its random port) taken out. */
function portable(sandbox: SandboxHandle): string {
  return JSON.stringify(sandbox.control.truth()).replaceAll(sandbox.url, 'http://sandbox');
}

describe('workspace generation', () => {
  const started: SandboxHandle[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  const start = async (seed: number | string, conversations = 150) => {
    const sandbox = await startSandbox({ seed, conversations, now: clock, rateLimit: false });
    started.push(sandbox);
    return sandbox;
  };

  it('is identical for the same seed and clock, tokens included, and differs for another seed', async () => {
    const [a, b, c] = [await start(42), await start(42), await start(43)];
    expect(portable(a)).toBe(portable(b));
    expect(a.tokens).toEqual(b.tokens);
    expect(portable(c)).not.toBe(portable(a));
    expect(c.tokens.full).not.toBe(a.tokens.full);
    expect(new Set(Object.values(a.tokens)).size).toBe(Object.keys(a.tokens).length);
  });

  it('treats the seed 7 and the seed "7" (a CLI flag) alike', async () => {
    expect(portable(await start(7, 20))).toBe(portable(await start('7', 20)));
  });

  it('generates 5,000 conversations', () => {
    const ws = generateWorkspace({ seed: 1, conversations: 5000, days: 7, inboxes: 4, nowMs: NOW });
    expect(ws.conversations).toHaveLength(5000);
  });
});

describe('a generated workspace', () => {
  const sandbox = withSandbox({ seed: 11, conversations: 400, days: 5, inboxes: 5, now: clock, rateLimit: false });
  let truth: SandboxTruth;
  const getTruth = () => (truth ??= sandbox.control.truth());

  it('has a company, teammates, tags and the requested inboxes, one of them private', () => {
    const t = getTruth();
    expect(t.company.id).toMatch(/^cmp_/);
    expect(t.inboxes).toHaveLength(5);
    expect(t.inboxes.filter((i) => i.is_private)).toHaveLength(1);
    expect(t.teammates.length).toBeGreaterThanOrEqual(6);
    expect(t.tags.length).toBeGreaterThanOrEqual(12);
    expect(t.teammates.some((m) => /\P{ASCII}/u.test(`${m.first_name}${m.last_name}`))).toBe(true);
  });

  it('keeps every conversation consistent: status vs assignee, category, privacy, last message', () => {
    const t = getTruth();
    const privateInboxes = new Set(t.inboxes.filter((i) => i.is_private).map((i) => i.id));
    for (const c of t.conversations) {
      expect(['assigned', 'unassigned', 'archived', 'deleted']).toContain(c.status);
      if (c.status === 'assigned') expect(c.assignee).not.toBeNull();
      if (c.status === 'unassigned') expect(c.assignee).toBeNull();
      expect(c.status_category).toBe(
        c.status === 'archived' || c.status === 'deleted' ? 'resolved' : c.messages.at(-1)!.is_inbound ? 'open' : 'waiting',
      );
      expect(c.is_private).toBe(privateInboxes.has(c.inbox_id));
      expect(c.messages.length).toBeGreaterThanOrEqual(1);
      expect(c.messages.length).toBeLessThanOrEqual(12);
      expect(c._links!.related!.last_message).toBe(`${sandbox.url}/messages/${c.messages.at(-1)!.id}`);
      const created = c.messages.map((m) => m.created_at!);
      expect(created).toEqual([...created].sort((x, y) => x - y));
    }
  });

  it('spreads activity over the last `days` days with realistic variety', () => {
    const t = getTruth();
    const updated = t.conversations.map((c) => c.updated_at!);
    expect(Math.min(...updated)).toBeGreaterThan(NOW / 1000 - 5 * DAY);
    expect(Math.max(...updated)).toBeLessThanOrEqual(NOW / 1000);
    expect(Math.max(...updated) - Math.min(...updated)).toBeGreaterThan(3 * DAY);
    const messages = t.conversations.flatMap((c) => c.messages);
    expect(messages.length / t.conversations.length).toBeGreaterThan(3);
    expect(messages.length / t.conversations.length).toBeLessThan(5.5);
    expect(t.conversations.some((c) => c.subject === '')).toBe(true);
    expect(t.conversations.some((c) => c.recipient === null)).toBe(true);
    expect(t.conversations.some((c) => c.recipient?.name === null)).toBe(true);
    expect(t.conversations.some((c) => c.tags!.length === 0)).toBe(true);
    expect(t.conversations.some((c) => c.tags!.length >= 3)).toBe(true);
    expect(messages.some((m) => m.text === undefined)).toBe(true);
    expect(messages.some((m) => /<p>/.test(m.body!))).toBe(true);
    expect(messages.some((m) => !/<[a-z]/.test(m.body!))).toBe(true);
    for (const script of [/\p{Script=Han}|\p{Script=Hiragana}/u, /\p{Script=Arabic}/u, /\p{Extended_Pictographic}/u]) {
      expect(messages.some((m) => script.test(m.body!))).toBe(true);
    }
    for (const m of messages) expect(m.author === null).toBe(m.is_inbound);
  });

  it('logs one message event per message and orders events by emitted_at with sequential ids', () => {
    const t = getTruth();
    const ids = t.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    const times = t.events.map((e) => e.emitted_at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(t.events.map((e) => e.type)).size).toBeGreaterThanOrEqual(10);
    for (const e of t.events) expect(GENERATED_TYPES).toContain(e.type);

    const messageEvents = t.events.filter((e) => e.target?.type === 'message');
    const messages = t.conversations.flatMap((c) => c.messages);
    expect(messageEvents.map((e) => e.target!.id).sort()).toEqual(messages.map((m) => m.id).sort());
    const inbound = new Map(messages.map((m) => [m.id, m.is_inbound]));
    for (const e of messageEvents) expect(e.type === 'inbound').toBe(inbound.get(e.target!.id));
  });

  it('makes updated_at the newest event of the conversation, and replays events to the final state', async () => {
    const t = getTruth();
    const newest = new Map<string, ServedEvent>();
    for (const page of await allPages<ServedEvent>(sandbox, '/events?sort_order=asc')) {
      for (const e of page._results) {
        newest.set(e.conversation!.id, e);
        checkTransition(e);
      }
    }
    for (const c of t.conversations) {
      const event = newest.get(c.id)!;
      expect(event.emitted_at).toBe(c.updated_at);
      const { messages: _m, inbox_id: _i, ...current } = c;
      expect(event.conversation).toEqual(current);
    }
  });
});

/** The conversation embedded in an event (event-time snapshot) shows that event's effect. */
function checkTransition(e: ServedEvent): void {
  const c = e.conversation!;
  // A message's, tag's or teammate's data: what is read of it here.
  const data = e.target?.data as { id: string; is_inbound?: boolean };
  expect(c.updated_at).toBe(e.emitted_at);
  switch (e.type) {
    case 'inbound':
    case 'outbound':
    case 'out_reply':
      expect(c._links!.related!.last_message).toMatch(new RegExp(`/messages/${data.id}$`));
      expect(data.is_inbound).toBe(e.type === 'inbound');
      break;
    case 'archive':
      expect(c.status).toBe('archived');
      break;
    case 'trash':
      expect(c.status).toBe('deleted');
      break;
    case 'reopen':
    case 'restore':
      expect(['assigned', 'unassigned']).toContain(c.status);
      break;
    case 'tag':
      expect(c.tags!.map((t) => t.id)).toContain(data.id);
      break;
    case 'untag':
      expect(c.tags!.map((t) => t.id)).not.toContain(data.id);
      break;
    case 'assign':
      expect(c.assignee?.id).toBe(data.id);
      break;
    case 'unassign':
      expect(c.assignee).toBeNull();
      break;
  }
}

describe('message density (messagesPerConversation)', () => {

  it('a number gives every conversation that many messages', () => {
    const ws = generateWorkspace({ seed: 3, conversations: 50, days: 7, inboxes: 2, nowMs: NOW, messagesPerConversation: 12 });
    expect(new Set(ws.conversations.map((c) => c.messages.length))).toEqual(new Set([12]));
  });

  it('a list cuts the window into slices, oldest first, each with its own count', () => {
    const ws = generateWorkspace({ seed: 3, conversations: 200, days: 7, inboxes: 2, nowMs: NOW, messagesPerConversation: [2, 40] });
    const half = NOW - 3.5 * DAY * 1000;
    const lastAt = (c: (typeof ws.conversations)[number]) => c.state.updatedMs;
    const older = ws.conversations.filter((c) => lastAt(c) < half);
    const newer = ws.conversations.filter((c) => lastAt(c) >= half);
    expect(older.length).toBe(100);
    expect(newer.length).toBe(100);
    expect(older.every((c) => c.messages.length === 2)).toBe(true);
    expect(newer.every((c) => c.messages.length === 40)).toBe(true);
  });
});
