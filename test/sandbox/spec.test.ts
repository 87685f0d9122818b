import { describe, expect, it } from 'vitest';
import { allPages, apiGet, type Page, type ServedEvent, withSandbox } from '../helpers/sandbox.ts';
import { matchPath, validateRequest, validateResponse } from '../helpers/spec.ts';

// Sandbox responses must be what Front's own spec says, and the URLs the sandbox hands out (next
// links) must be requests the spec allows.
describe('sandbox against core-api.json', () => {
  const sandbox = withSandbox({ conversations: 120, rateLimit: false, seed: 'spec' });

  /** The body, checked against the spec; read as a page, which is what the tests here read of it. */
  async function expectConforming(url: string): Promise<Page<unknown>> {
    const answer = await apiGet<Page<unknown>>(sandbox, url);
    expect(answer.status, url).toBe(200);
    const path = new URL(url, sandbox.url);
    const template = matchPath(path.pathname)!.template;
    expect(validateRequest('GET', `${path.pathname}${path.search}`), url).toEqual([]);
    expect(validateResponse('GET', template, 200, answer.body), url).toEqual([]);
    return answer.body;
  }

  it('serves spec-valid identity, inboxes, teammates, tags and ticket statuses', async () => {
    for (const path of ['/me', '/inboxes', '/teammates', '/tags', '/tags?limit=4&sort_order=desc', '/company/statuses']) {
      await expectConforming(path);
    }
  });

  it('serves spec-valid conversation lists on first and later pages', async () => {
    const truth = sandbox.control.truth();
    const inbox = truth.inboxes[1]!.id;
    for (const first of [
      '/conversations?limit=25',
      '/conversations?q[statuses][]=archived&q[statuses][]=assigned&limit=10',
      `/inboxes/${inbox}/conversations?limit=10`,
    ]) {
      const page1 = await expectConforming(first);
      expect(page1._pagination!.next!).toEqual(expect.any(String));
      const page2 = await expectConforming(page1._pagination!.next!);
      expect(page2._results.length).toBeGreaterThan(0);
    }
  });

  it('serves spec-valid search results with _total', async () => {
    const truth = sandbox.control.truth();
    const after = Math.floor(truth.events[Math.floor(truth.events.length / 2)]!.emitted_at);
    const query = encodeURIComponent(`after:${after} is:open`);
    const page1 = await expectConforming(`/conversations/search/${query}?limit=5`);
    expect(page1._total).toBeGreaterThan(5);
    await expectConforming(page1._pagination!.next!);
  });

  it('serves spec-valid single conversations, message lists and messages', async () => {
    const truth = sandbox.control.truth();
    const longest = truth.conversations.reduce((a, b) => (b.messages.length > a.messages.length ? b : a));
    await expectConforming(`/conversations/${longest.id}`);
    const page1 = await expectConforming(`/conversations/${longest.id}/messages?limit=2`);
    await expectConforming(page1._pagination!.next!);
    await expectConforming(`/conversations/${longest.id}/messages?sort_by=created_at&sort_order=asc`);
    for (const message of longest.messages) await expectConforming(`/messages/${message.id}`);
  });

  it('serves spec-valid events across the whole log, filtered by type and inbox', async () => {
    const truth = sandbox.control.truth();
    const pages = await allPages<ServedEvent>(sandbox, '/events?sort_by=created_at&sort_order=asc');
    const seen = new Set<string>();
    for (const page of pages) {
      expect(validateResponse('GET', '/events', 200, page)).toEqual([]);
      for (const e of page._results) seen.add(e.type);
    }
    expect([...seen].sort()).toEqual([...new Set(truth.events.map((e) => e.type))].sort());

    const inbox = truth.inboxes[0]!.id;
    const filtered = `/events?q[types][]=inbound&q[types][]=tag&q[inboxes][]=${inbox}&sort_order=asc&limit=15`;
    const page1 = await expectConforming(filtered);
    await expectConforming(page1._pagination!.next!);
    await expectConforming(`/events/${truth.events[0]!.id}`);
  });

  it('validateResponse reports bodies that break the spec', () => {
    const conversation = sandbox.control.truth().conversations[0]!;
    const { messages: _messages, inbox_id: _inbox, ...body } = conversation;
    expect(validateResponse('GET', '/conversations/{conversation_id}', 200, body)).toEqual([]);
    expect(validateResponse('GET', '/conversations/{conversation_id}', 200, { ...body, status: 'spam' })).not.toEqual([]);
    const { tags: _tags, ...withoutTags } = body;
    expect(validateResponse('GET', '/conversations/{conversation_id}', 200, withoutTags).join('\n')).toContain('tags');
    expect(validateResponse('GET', '/events', 200, { _results: [{ id: 'evt_1', target: { _meta: { type: 'message' }, data: { is_inbound: 'yes' } } }] })).not.toEqual([]);
    expect(validateResponse('GET', '/conversations', 429, {})).not.toEqual([]);
  });

  it('validateRequest rejects URLs a client must not send', () => {
    expect(validateRequest('GET', '/events?q[after]=1700000000.123&q[types][]=inbound&limit=15&sort_order=asc')).toEqual([]);
    expect(validateRequest('GET', '/events?limit=50')).not.toEqual([]);
    expect(validateRequest('GET', '/conversations?limit=101')).not.toEqual([]);
    expect(validateRequest('GET', '/conversations?since=1700000000')).not.toEqual([]);
    expect(validateRequest('GET', '/events?q[since]=1700000000')).not.toEqual([]);
    expect(validateRequest('GET', '/events?sort_order=newest')).not.toEqual([]);
    expect(validateRequest('GET', '/events?q[types][]=message')).not.toEqual([]);
    expect(validateRequest('GET', '/conversation/cnv_1')).not.toEqual([]);
    expect(validateRequest('PUT', '/me')).not.toEqual([]);
  });
});
