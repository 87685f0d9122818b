import { describe, expect, it } from 'vitest';
import { allPages, apiGet, idsOf, type Page, type ServedEvent, withSandbox } from '../helpers/sandbox.ts';


describe('/events filters', () => {
  const sandbox = withSandbox({ seed: 'events', conversations: 150, rateLimit: false });

  it('treats q[after] and q[before] as exclusive bounds on emitted_at (3 decimals)', async () => {
    const events = sandbox.control.truth().events;
    const from = events[100]!;
    const to = events[160]!;
    const pages = await allPages(sandbox, `/events?sort_order=asc&q[after]=${from.emitted_at.toFixed(3)}&q[before]=${to.emitted_at.toFixed(3)}`);
    const expected = events.filter((e) => e.emitted_at > from.emitted_at && e.emitted_at < to.emitted_at).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(40);
    expect(idsOf(pages)).toEqual(expected);
    expect(idsOf(pages)).not.toContain(from.id);
    expect(idsOf(pages)).not.toContain(to.id);
  });

  it('filters by types and inboxes, with or without [] in the parameter name', async () => {
    const events = sandbox.control.truth().events;
    const inbox = sandbox.control.truth().inboxes[1]!.id;
    const wanted = events.filter((e) => ['tag', 'archive'].includes(e.type) && e.inbox_id === inbox).map((e) => e.id);
    expect(wanted.length).toBeGreaterThan(3);
    for (const query of [
      `q[types][]=tag&q[types][]=archive&q[inboxes][]=${inbox}`,
      `q[types]=tag&q[types]=archive&q[inboxes]=${inbox}`,
    ]) {
      expect(idsOf(await allPages(sandbox, `/events?sort_order=asc&${query}`))).toEqual(wanted);
    }
  });

  it('is newest first by default and honours limit', async () => {
    const events = sandbox.control.truth().events;
    const page = await apiGet<Page<ServedEvent>>(sandbox, '/events?limit=4');
    expect(page.body._results.map((e) => e.id)).toEqual(events.slice(-4).reverse().map((e) => e.id));
  });

  it('rejects malformed bounds', async () => {
    expect((await apiGet(sandbox, '/events?q[after]=yesterday')).status).toBe(400);
    expect((await apiGet(sandbox, '/events?sort_order=sideways')).status).toBe(400);
  });
});

describe('event conversation snapshots', () => {
  const eventTime = withSandbox({ seed: 'snap', conversations: 30, rateLimit: false });
  const readTime = withSandbox({ seed: 'snap', conversations: 30, rateLimit: false, eventSnapshots: 'read-time' });

  it('event-time embeds the conversation as it was right after each event; read-time as it is now', async () => {
    for (const sandbox of [eventTime, readTime]) {
      const id = sandbox.control.addConversation({ messages: 1, subject: 'snapshot' });
      sandbox.control.tag(id, 'vip');
      sandbox.control.setStatus(id, 'archived');
    }
    const snapshots = async (sandbox: typeof eventTime) => {
      const pages = await allPages<ServedEvent>(sandbox, '/events?sort_order=asc');
      return pages
        .flatMap((p) => p._results)
        .filter((e) => e.conversation?.subject === 'snapshot')
        .map((e) => [e.type, e.conversation!.status, e.conversation!.tags!.map((t) => t.name)]);
    };
    expect(await snapshots(eventTime)).toEqual([
      ['inbound', 'unassigned', []],
      ['tag', 'unassigned', ['vip']],
      ['archive', 'archived', ['vip']],
    ]);
    expect(await snapshots(readTime)).toEqual([
      ['inbound', 'archived', ['vip']],
      ['tag', 'archived', ['vip']],
      ['archive', 'archived', ['vip']],
    ]);
  });
});
