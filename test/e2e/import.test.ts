// The import pipeline end to end: the real binary against the sandbox and a local receiver.

import { describe, expect, it } from 'vitest';
import type { TruthConversation } from '../../src/sandbox/index.ts';
import { activeSince, importable, latestById, scenario, statusOf, closeAfterEach, type Scenario, deliveredIds, idsOf } from '../helpers/e2e.ts';
import { highlightErrors } from '../helpers/highlight-contract.ts';
import { waitUntil } from '../helpers/reliability.ts';

const DAY = 86_400_000;
const keep = closeAfterEach();

function iso(seconds: number | null | undefined): string | null {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;
}

function expectFieldsMatch(h: Record<string, unknown>, c: TruthConversation): void {
  const last = c.messages[c.messages.length - 1]!;
  expect(h.id).toBe(`front:${c.id}`);
  expect(h.conversationId).toBe(c.id);
  expect(h.source).toBe('front');
  expect(h.sourceUrl).toBe(`https://app.frontapp.com/open/${c.id}`);
  // The sandbox's only prefixed subject is "Re: your trial is ending 🎉".
  const subject = (c.subject ?? '').trim().replace(/^Re: /, '');
  if (subject && subject.length <= 200) expect(h.title).toBe(subject);
  else expect(String(h.title).length).toBeGreaterThan(0);
  const status = { assigned: 'open', unassigned: 'open', archived: 'archived', deleted: 'trashed' }[c.status as string];
  expect(h.status).toBe(status);
  expect(h.statusCategory).toBe(c.status_category ?? null);
  expect(h.tags).toEqual((c.tags ?? []).map((t) => t.name).sort());
  expect(h.assignee).toEqual(
    c.assignee ? { id: c.assignee.id, email: c.assignee.email, name: `${c.assignee.first_name} ${c.assignee.last_name}`.trim() } : null,
  );
  expect(h.requester).toEqual(c.recipient?.handle ? { name: c.recipient.name || null, handle: c.recipient.handle } : null);
  expect(h.createdAt).toBe(iso(c.created_at));
  expect(h.updatedAt).toBe(iso(c.updated_at));
  expect(h.lastMessageAt).toBe(iso(last.created_at));
  // The writer's own words, exactly: every client format and language the sandbox generates.
  if (last.own_words !== null) expect(h.text).toBe(last.own_words);
  expect(highlightErrors(h)).toEqual([]);
  // Schema 2 (kept in 3): who wrote the text, who took part, the ticket status's name.
  expect(h.schemaVersion).toBe(3);
  expect(h.textTruncated).toBe(false);
  const from = last.recipients?.find((r) => r.role === 'from');
  expect(h.textAuthor).toEqual(
    last.is_inbound
      ? { role: 'customer', name: from?.name ?? null, handle: from?.handle ?? null }
      : { role: 'teammate', name: `${last.author!.first_name} ${last.author!.last_name}`, handle: last.author!.email },
  );
  const participants = h.participants as { handle: string; role: string }[];
  if (c.recipient?.handle) expect(participants[0]).toEqual({ name: c.recipient.name ?? null, handle: c.recipient.handle, role: 'requester' });
  if (c.assignee) expect(participants).toContainEqual({ name: `${c.assignee.first_name} ${c.assignee.last_name}`, handle: c.assignee.email, role: 'teammate' });
  for (const cc of last.recipients?.filter((r) => r.role === 'cc') ?? []) expect(participants).toContainEqual({ name: cc.name, handle: cc.handle, role: 'cc' });
  expect(h.statusName).toBe(STATUS_NAMES[c.status_category as string] ?? null);
}

/** The sandbox's ticket statuses (GET /company/statuses), by category. */
const STATUS_NAMES: Record<string, string> = { open: 'Open', waiting: 'Waiting on customer', resolved: 'Resolved' };

const importableCount = (s: Scenario) => importable(s.sandbox.control.truth().conversations).length;

describe('backfill', () => {
  it('delivers exactly the conversations with activity in the window, each once, every field right', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 150, seed: 11 } }));
    const since = new Date(Date.now() - 3 * DAY);
    const r = await s.cli(['backfill', '--since', since.toISOString()]);
    // Nothing but the plain progress line a run longer than 10 s prints for logs (a loaded machine).
    expect(r.stderr.replace(/^backfill: \w+ · .*\n/gm, '')).toBe('');
    expect(r.code).toBe(0);
    const expected = activeSince(s.sandbox, since.getTime());
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(150);
    const delivered = s.receiver.accepted();
    expect(delivered.map((d) => d.id).sort()).toEqual(expected.map((c) => `front:${c.id}`).sort());
    const byId = latestById(s.receiver);
    for (const c of expected) expectFieldsMatch(byId.get(`front:${c.id}`)!, c);
    expect(r.stdout).toMatch(/backfill: \d+ conversations seen, \d+ created/);
    expect(s.receiver.batches.every((b) => b.authorization === 'Bearer dest-secret-token-0123456789')).toBe(true);
  });

  it('falls back to listing conversations when the token cannot read events, with the same result', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 12 }, token: 'noEvents' }));
    const since = new Date(Date.now() - 2 * DAY);
    const r = await s.cli(['backfill', '--since', since.toISOString(), '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.strategy).toBe('listing');
    expect(summary.strategyReason).toMatch(/events/);
    const expected = activeSince(s.sandbox, since.getTime());
    const byId = latestById(s.receiver);
    expect([...byId.keys()].sort()).toEqual(expected.map((c) => `front:${c.id}`).sort());
    for (const c of expected) expectFieldsMatch(byId.get(`front:${c.id}`)!, c);
  });

  it('is right whether Front embeds event-time or read-time conversation snapshots', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 14, eventSnapshots: 'read-time' } }));
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    const truth = importable(s.sandbox.control.truth().conversations);
    const byId = latestById(s.receiver);
    expect(byId.size).toBe(truth.length);
    for (const c of truth) expectFieldsMatch(byId.get(`front:${c.id}`)!, c);
  });

  it('scopes to an inbox by name and applies routing labels', async () => {
    const s = keep(await scenario({
      sandbox: { conversations: 80, seed: 15 },
      config: [
        'routing:',
        '  labels:',
        '    - { when: { tag: urgent }, label: p1 }',
        '    - { when: { status: archived }, label: resolved }',
        '    - { when: { inbox: support }, label: support }',
      ].join('\n'),
    }));
    const truth = s.sandbox.control.truth();
    const support = truth.inboxes.find((i) => i.name === 'Support')!;
    const r = await s.cli(['backfill', '--since', '8d', '--inbox', 'Support']);
    expect(r.code).toBe(0);
    // Front filters events by the inbox they happened in: in scope = activity in Support during the window.
    const active = new Set(truth.events.filter((e) => e.inbox_id === support.id).map((e) => e.conversation_id));
    const expected = importable(truth.conversations).filter((c) => active.has(c.id));
    expect(expected.some((c) => c.inbox_id !== support.id)).toBe(true);
    const byId = latestById(s.receiver);
    expect([...byId.keys()].sort()).toEqual(expected.map((c) => `front:${c.id}`).sort());
    for (const c of expected) {
      const labels = ['support'];
      if (c.status === 'archived') labels.push('resolved');
      if ((c.tags ?? []).some((t) => t.name === 'urgent')) labels.push('p1');
      expect(byId.get(`front:${c.id}`)!.labels).toEqual(labels.sort());
    }
  });

  it('resumes an interrupted backfill from its checkpoint and ends complete, with no duplicate versions', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 400, seed: 16, plan: 'starter' } }));
    const first = s.spawn(['backfill', '--since', '8d']);
    // Killed once a few event pages are in, whatever the machine's load: a fixed delay could end it before its first checkpoint.
    await waitUntil(() => s.sandbox.control.requestLog().filter((e) => e.path === '/events' && e.status === 200).length >= 25, 30_000, '25 event pages (more than one commit group)');
    first.child.kill('SIGKILL');
    await first.done;
    s.sandbox.control.clearRequestLog();
    const again = await s.cli(['backfill', '--since', '8d', '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.resumed).toBe(true);
    const firstEventsPage = s.sandbox.control.requestLog().find((e) => e.path === '/events');
    expect(firstEventsPage?.query.page_token).toBeDefined();
    const delivered = s.receiver.accepted();
    expect(new Set(delivered.map((d) => d.id)).size).toBe(importableCount(s));
    expect(new Set(delivered.map((d) => `${d.id}@${d.version}`)).size).toBe(delivered.length);
  });

  it('--dry-run fetches and maps but writes and delivers nothing', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 13 } }));
    const r = await s.cli(['backfill', '--since', '8d', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dry run/);
    expect(r.stdout).toMatch(new RegExp(`${importableCount(s)} created`));
    expect(s.receiver.requests).toBe(0);
    const status = await statusOf(s);
    expect(status.storeExists).toBe(false);
  });
});

describe('sync', () => {
  it('delivers exactly what changed, as creates and updates, with no message fetch for tag/status changes; then nothing', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 80, seed: 21 } }));
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(0);
    const before = s.receiver.accepted().length;
    expect(before).toBe(importableCount(s));

    const truth = s.sandbox.control.truth().conversations;
    const open = truth.filter((c) => c.status !== 'archived' && c.status !== 'deleted');
    const [withMessage, toArchive, toTag] = [open[0]!, open[1]!, open[2]!];
    const created = s.sandbox.control.addConversation({ subject: 'Refund for order 1234', messages: [{ text: 'Please refund me.' }] });
    s.sandbox.control.addMessage(withMessage.id, { text: 'Any update on this?' });
    s.sandbox.control.setStatus(toArchive.id, 'archived');
    s.sandbox.control.tag(toTag.id, 'urgent');
    s.sandbox.control.clearRequestLog();

    const r = await s.cli(['sync']);
    expect(r.code).toBe(0);
    const fresh = s.receiver.accepted().slice(before);
    expect(fresh.map((d) => d.id).sort()).toEqual([created, withMessage.id, toArchive.id, toTag.id].map((id) => `front:${id}`).sort());
    const byId = latestById(s.receiver);
    expect(byId.get(`front:${withMessage.id}`)!.text).toBe('Any update on this?');
    expect(byId.get(`front:${toArchive.id}`)!.status).toBe('archived');
    expect(byId.get(`front:${toTag.id}`)!.tags).toContain('urgent');
    expect(byId.get(`front:${created}`)!.title).toBe('Refund for order 1234');
    const messageFetches = s.sandbox.control.requestLog().filter((e) => e.path.startsWith('/messages/') || e.path.endsWith('/messages'));
    expect(messageFetches).toEqual([]);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/sync: \d+ conversations seen, 1 created, 3 updated/);

    const again = await s.cli(['sync']);
    expect(again.code).toBe(0);
    expect(s.receiver.accepted().length).toBe(before + 4);
    expect(again.stdout).toMatch(/0 created, 0 updated/);
  });

  it('two concurrent syncs: one works, the other exits 4 at once; status --json reports the run', async () => {
    // Front holds every answer past /me: the first sync stands still holding the lock while the
    // second one starts.
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 22 } }));
    s.sandbox.control.holdRequests();
    const first = s.spawn(['sync', '--since', '8d']);
    await waitUntil(() => s.sandbox.control.requestLog().some((e) => e.path !== '/me'), 30_000, 'the first sync to be importing');
    const second = await s.cli(['sync']);
    expect(second.code).toBe(4);
    // "At once": it did not wait for the lock, so the first sync is still running.
    expect(first.child.exitCode).toBeNull();
    expect(second.stderr).toMatch(/another front-import sync .* running/);
    s.sandbox.control.releaseRequests();
    const done = await first.done;
    expect(done.code).toBe(0);
    const status = await statusOf(s);
    expect(status.runs[0].command).toBe('sync');
    expect(status.runs[0].outcome).toBe('success');
    expect(status.totals!.delivered).toBe(importableCount(s));
    expect(status.cursor).not.toBeNull();
  });
});

describe('status and cron output', () => {
  it('--max-lag exits 8 until a sync succeeded within the lag; sync --quiet prints nothing on success', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 23 } }));
    const stale = await s.cli(['status', '--max-lag', '1h']);
    expect(stale.code).toBe(8);
    expect(stale.stderr).toMatch(/max-lag: no successful sync yet \(limit 1h\): EXCEEDED/);
    const quiet = await s.cli(['sync', '--since', '8d', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout + quiet.stderr).toBe('');
    const fresh = await s.cli(['status', '--max-lag', '1h', '--json']);
    expect(fresh.code).toBe(0);
    const report = JSON.parse(fresh.stdout);
    expect(report.stale).toBe(false);
    expect(report.lagMs).toBeLessThan(60_000);
    const human = await s.cli(['status']);
    expect(human.stdout).toMatch(/cursor\s+20\d\d-/);
    const n = importableCount(s);
    expect(human.stdout).toMatch(new RegExp(`${n} imported, ${n} delivered, 0 pending, 0 refused`));
    expect(human.stdout).toMatch(/sync success/);
    expect(human.stdout).not.toContain('\u001b[');
  });
});

describe('destination faults', () => {
  it('500s and 429s are retried; a poisoned item is isolated, kept as refused (exit 7) and shown by status; the rest arrive', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 50, seed: 31 } }));
    const poisoned = `front:${importable(s.sandbox.control.truth().conversations)[7]!.id}`;
    s.receiver.behave({ failNext: { count: 2, status: 500 }, poison: [poisoned] });
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/refused/);
    const ids = new Set(s.receiver.accepted().map((d) => d.id));
    expect(ids.size).toBe(importableCount(s) - 1);
    expect(ids.has(poisoned)).toBe(false);
    const status = await statusOf(s);
    expect(status.totals!.failed).toBe(1);
    expect(status.totals!.failures[0]!.id).toBe(poisoned);
    expect(status.totals!.failures[0]!.error).toMatch(/too spicy/);
    const human = await s.cli(['status']);
    expect(human.stdout).toMatch(/too spicy/);
  });

  it('429 with retry-after is obeyed', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 32 } }));
    s.receiver.behave({ failNext: { count: 1, status: 429, retryAfter: 1 } });
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    expect(s.receiver.accepted()).toHaveLength(importableCount(s));
    expect(r.ms).toBeGreaterThan(1000);
  });

  it('receiver down: exit 6 with everything pending; back up: the next run delivers the backlog in order', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 33 } }));
    await s.receiver.down();
    const down = await s.cli(['backfill', '--since', '8d']);
    expect(down.code).toBe(6);
    expect(down.stderr).toMatch(/destination .* unavailable/);
    const status = await statusOf(s);
    expect(status.totals!.pending).toBe(importableCount(s));
    expect(status.totals!.delivered).toBe(0);

    await s.receiver.up();
    const r = await s.cli(['sync']);
    expect(r.code).toBe(0);
    const got = s.receiver.accepted();
    expect(new Set(got.map((d) => d.id)).size).toBe(importableCount(s));
    expect(got).toHaveLength(importableCount(s));
  });
});

describe('private inboxes without the scope', () => {
  it("a backfill delivers every public conversation and none of the private inboxes'; --inbox <private> exits 2 naming it, fetching nothing", async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 55 }, token: 'noPrivate' }));
    const truth = s.sandbox.control.truth();
    const privateInboxes = truth.inboxes.filter((i) => i.is_private);
    const isPrivate = (c: { inbox_id: string }) => privateInboxes.some((i) => i.id === c.inbox_id);
    expect(truth.conversations.filter(isPrivate).length).toBeGreaterThan(0);

    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    expect(deliveredIds(s)).toEqual(idsOf(truth.conversations.filter((c) => !isPrivate(c))));

    const before = s.receiver.requests;
    const name = privateInboxes[0]!.name;
    s.sandbox.control.clearRequestLog();
    const scoped = await s.cli(['backfill', '--since', '8d', '--inbox', name]);
    expect(scoped.code).toBe(2);
    expect(scoped.stderr).toContain(`no inbox named "${name}" among the`);
    expect(scoped.stderr).toContain('private');
    expect(s.sandbox.control.requestLog().map((e) => e.path)).toEqual(['/inboxes']);
    expect(s.receiver.requests).toBe(before);
  });
});
