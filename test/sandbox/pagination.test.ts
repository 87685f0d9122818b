import { describe, expect, it } from 'vitest';
import { allPages, apiGet, type ErrorBody, idsOf, type Page, type ServedConversation, type ServedEvent, type ServedMessage, withSandbox } from '../helpers/sandbox.ts';


describe('pagination', () => {
  const sandbox = withSandbox({ seed: 'pages', conversations: 230, rateLimit: false });

  it('walks /conversations newest first to the end: every conversation once, next null at the end', async () => {
    const truth = sandbox.control.truth();
    const pages = await allPages(sandbox, '/conversations?limit=17');
    const walked = idsOf(pages);
    const expected = [...truth.conversations].sort((a, b) => b.updated_at! - a.updated_at! || (a.id < b.id ? 1 : -1)).map((c) => c.id);
    expect(walked).toEqual(expected);
    expect(pages.at(-1)!._pagination!.next).toBeNull();
    expect(pages.slice(0, -1).every((p) => p._results.length === 17)).toBe(true);
  });

  it('walks oldest first with sort_order=asc', async () => {
    const desc = idsOf(await allPages(sandbox, '/conversations?limit=100'));
    expect(idsOf(await allPages(sandbox, '/conversations?limit=30&sort_order=asc'))).toEqual([...desc].reverse());
  });

  it('uses opaque page tokens on the sandbox origin that carry the original filters', async () => {
    const first = await apiGet<Page<ServedConversation>>(sandbox, '/conversations?limit=5&q[statuses][]=archived');
    const next = new URL(first.body._pagination!.next!);
    expect(next.origin).toBe(sandbox.url);
    expect(next.searchParams.getAll('q[statuses][]')).toEqual(['archived']);
    const token = next.searchParams.get('page_token')!;
    expect(token).not.toMatch(/^\d+$/);
    expect(token).not.toContain('offset');
    const bad = await apiGet<ErrorBody>(sandbox, '/conversations?page_token=not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.body._error.status).toBe(400);
  });

  it('filters by status on every page', async () => {
    const truth = sandbox.control.truth();
    const walked = idsOf(await allPages(sandbox, '/conversations?limit=9&q[statuses][]=archived&q[statuses][]=trashed'));
    const expected = truth.conversations.filter((c) => c.status === 'archived' || c.status === 'deleted').map((c) => c.id);
    expect([...walked].sort()).toEqual([...expected].sort());
    expect(new Set(walked).size).toBe(walked.length);
  });

  it('lists an inbox\'s conversations only', async () => {
    const truth = sandbox.control.truth();
    const inbox = truth.inboxes[2]!.id;
    const walked = idsOf(await allPages(sandbox, `/inboxes/${inbox}/conversations?limit=10`));
    expect([...walked].sort()).toEqual(truth.conversations.filter((c) => c.inbox_id === inbox).map((c) => c.id).sort());
    expect((await apiGet(sandbox, '/inboxes/inb_nope/conversations')).status).toBe(404);
  });

  it('walks the event log both ways with 15 per page, without duplicates or gaps', async () => {
    const truth = sandbox.control.truth();
    const asc = await allPages(sandbox, '/events?sort_by=created_at&sort_order=asc');
    expect(idsOf(asc)).toEqual(truth.events.map((e) => e.id));
    expect(asc.slice(0, -1).every((p) => p._results.length === 15)).toBe(true);
    expect(idsOf(await allPages(sandbox, '/events'))).toEqual(truth.events.map((e) => e.id).reverse());
  });

  it('stays stable while data is appended mid-walk', async () => {
    const before = sandbox.control.truth();
    const seenEvents: string[] = [];
    const seenConversations: string[] = [];
    let nextEvents: string | null = '/events?sort_order=asc';
    let nextConversations: string | null = '/conversations?limit=25';
    let added = 0;
    while (nextEvents || nextConversations) {
      if (nextEvents) {
        const page: Page<ServedEvent> = (await apiGet<Page<ServedEvent>>(sandbox, nextEvents)).body;
        seenEvents.push(...page._results.map((e) => e.id));
        nextEvents = page._pagination?.next ?? null;
      }
      if (nextConversations) {
        const page: Page<ServedConversation> = (await apiGet<Page<ServedConversation>>(sandbox, nextConversations)).body;
        seenConversations.push(...page._results.map((c) => c.id));
        nextConversations = page._pagination?.next ?? null;
      }
      // Activity during the walk: new conversations, and old ones bumped to the top.
      if (added < 5) {
        sandbox.control.addConversation({ messages: 2 });
        sandbox.control.addMessage(before.conversations[added]!.id, { text: 'still there?' });
        added++;
      }
    }
    const after = sandbox.control.truth();
    expect(new Set(seenEvents).size).toBe(seenEvents.length);
    expect(seenEvents).toEqual(after.events.map((e) => e.id));
    expect(new Set(seenConversations).size).toBe(seenConversations.length);
    // Conversations bumped above the cursor are missed by this walk (a later sync sees them); the rest are all there.
    const bumped = new Set(before.conversations.slice(0, 5).map((c) => c.id));
    for (const c of before.conversations) if (!bumped.has(c.id)) expect(seenConversations).toContain(c.id);
  });

  it('pages a conversation\'s messages newest first by default', async () => {
    const truth = sandbox.control.truth();
    const longest = truth.conversations.reduce((a, b) => (b.messages.length > a.messages.length ? b : a));
    expect(longest.messages.length).toBeGreaterThan(3);
    const desc = idsOf(await allPages(sandbox, `/conversations/${longest.id}/messages?limit=2`));
    expect(desc).toEqual(longest.messages.map((m) => m.id).reverse());
    const asc = idsOf(await allPages(sandbox, `/conversations/${longest.id}/messages?limit=3&sort_order=asc`));
    expect(asc).toEqual(longest.messages.map((m) => m.id));
    const latest = await apiGet<Page<ServedMessage>>(sandbox, `/conversations/${longest.id}/messages?limit=1`);
    expect(latest.body._results[0]!.id).toBe(longest.messages.at(-1)!.id);
  });

  it('pages tags and enforces limits', async () => {
    const truth = sandbox.control.truth();
    expect(idsOf(await allPages(sandbox, '/tags?limit=4'))).toEqual(truth.tags.map((t) => t.id));
    expect((await apiGet(sandbox, '/conversations?limit=101')).status).toBe(400);
    expect((await apiGet(sandbox, '/events?limit=16')).status).toBe(400);
    expect((await apiGet(sandbox, '/conversations?limit=0')).status).toBe(400);
    expect((await apiGet<Page<ServedConversation>>(sandbox, '/conversations')).body._results).toHaveLength(50);
    expect((await apiGet<Page<ServedEvent>>(sandbox, '/events')).body._results).toHaveLength(15);
  });

  it('searches with after/before/inbox/tag/is terms, newest first, with _total', async () => {
    const truth = sandbox.control.truth();
    const times = truth.conversations.map((c) => c.updated_at!).sort((a, b) => a - b);
    const after = Math.floor(times[40]!);
    const before = Math.floor(times[200]!);
    const tag = truth.tags[0]!.id;
    const inbox = truth.inboxes[0]!.id;
    const cases: [string, (c: (typeof truth.conversations)[number]) => boolean][] = [
      [`after:${after} before:${before}`, (c) => c.updated_at! > after && c.updated_at! < before],
      [`inbox:${inbox} is:open`, (c) => c.inbox_id === inbox && (c.status === 'assigned' || c.status === 'unassigned')],
      [`tag:${tag}`, (c) => c.tags!.some((t) => t.id === tag)],
      ['is:archived is:unassigned', (c) => c.status === 'archived' && c.assignee === null],
      ['is:trashed', (c) => c.status === 'deleted'],
    ];
    for (const [query, predicate] of cases) {
      const pages = await allPages<ServedConversation>(sandbox, `/conversations/search/${encodeURIComponent(query)}?limit=20`);
      const expected = truth.conversations.filter(predicate);
      expect(expected.length, query).toBeGreaterThan(0);
      expect([...idsOf(pages)].sort(), query).toEqual(expected.map((c) => c.id).sort());
      expect(pages[0]!._total, query).toBe(expected.length);
      const updated = pages.flatMap((p) => p._results.map((c) => c.updated_at!));
      expect(updated).toEqual([...updated].sort((a, b) => b - a));
    }
    expect((await apiGet(sandbox, '/conversations/search/after:yesterday')).status).toBe(400);
  });
});
