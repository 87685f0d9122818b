import { createHmac } from 'node:crypto';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import type { TagResponse } from '../../src/front-api/index.ts';
import type { SandboxTruth } from '../../src/sandbox/types.ts';
import { allPages, apiGet, type Page, type ServedConversation, type ServedEvent, type ServedMessage, withSandbox } from '../helpers/sandbox.ts';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
let now = T0;

/** Events of one conversation, oldest first, as the API serves them. */
async function eventsOf(sandbox: ReturnType<typeof withSandbox>, conversationId: string): Promise<ServedEvent[]> {
  const pages = await allPages<ServedEvent>(sandbox, '/events?sort_order=asc');
  return pages.flatMap((p) => p._results).filter((e) => e.conversation?.id === conversationId);
}

describe('control mutations', () => {
  const sandbox = withSandbox({ seed: 'control', conversations: 40, rateLimit: false, now: () => now });

  it('addConversation writes its events at now() and puts the conversation on top', async () => {
    now = T0 + 1_000;
    const teammate = sandbox.control.truth().teammates[2]!.id;
    const id = sandbox.control.addConversation({
      subject: 'Printer on fire',
      messages: [{ text: 'It is on fire' }, { body: '<p>Extinguisher sent</p>', inbound: false }],
      tags: ['vip', 'brand-new'],
      assignee: teammate,
      status: 'archived',
      recipient: { name: null, handle: 'someone@example.com' },
    });
    const events = await eventsOf(sandbox, id);
    expect(events.map((e) => e.type)).toEqual(['inbound', 'out_reply', 'tag', 'tag', 'assign', 'archive']);
    expect(events.every((e) => e.emitted_at === (T0 + 1_000) / 1000)).toBe(true);

    const top = (await apiGet<Page<ServedConversation>>(sandbox, '/conversations?limit=1')).body._results[0]!;
    expect(top.id).toBe(id);
    expect(top).toMatchObject({ subject: 'Printer on fire', status: 'archived', updated_at: (T0 + 1_000) / 1000 });
    expect(top.assignee!.id).toBe(teammate);
    expect(top.recipient).toMatchObject({ name: null, handle: 'someone@example.com' });
    expect(top.tags!.map((t) => t.name)).toEqual(['vip', 'brand-new']);
    expect((await apiGet<Page<TagResponse>>(sandbox, '/tags?limit=100')).body._results.map((t) => t.name)).toContain('brand-new');

    const [latest, first] = (await apiGet<Page<ServedMessage>>(sandbox, `/conversations/${id}/messages`)).body._results;
    expect(latest).toMatchObject({ is_inbound: false, body: '<p>Extinguisher sent</p>' });
    expect(latest!.text).toBeUndefined();
    expect(first).toMatchObject({ is_inbound: true, text: 'It is on fire', body: 'It is on fire' });
  });

  it('addMessage bumps updated_at, becomes the last message, and reopens an archived conversation', async () => {
    now = T0 + 2_000;
    const id = sandbox.control.addConversation({ messages: 1, status: 'archived' });
    now = T0 + 5_000;
    const messageId = sandbox.control.addMessage(id, { text: 'Any news?' });
    const conversation = (await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body;
    expect(conversation.updated_at).toBe((T0 + 5_000) / 1000);
    expect(conversation._links!.related!.last_message).toBe(`${sandbox.url}/messages/${messageId}`);
    expect(conversation.status).toBe('unassigned');
    expect(conversation.status_category).toBe('open');
    // Both inbound messages are unanswered; the clock runs from the older one.
    expect(conversation.waiting_since).toBe((T0 + 2_000) / 1000);
    expect((await eventsOf(sandbox, id)).slice(-2).map((e) => e.type)).toEqual(['inbound', 'reopen']);
    expect((await apiGet<Page<ServedMessage>>(sandbox, `/conversations/${id}/messages?limit=1`)).body._results[0]!.id).toBe(messageId);
  });

  it('setStatus writes archive, reopen, trash and restore, lets spam through, and skips no-ops', async () => {
    const id = sandbox.control.addConversation({ messages: 1 });
    const statusAfter = async (status: Parameters<typeof sandbox.control.setStatus>[1]) => {
      now += 1_000;
      sandbox.control.setStatus(id, status);
      return (await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body.status;
    };
    expect(await statusAfter('archived')).toBe('archived');
    expect(await statusAfter('archived')).toBe('archived');
    expect(await statusAfter('open')).toBe('unassigned');
    expect(await statusAfter('deleted')).toBe('deleted');
    expect(await statusAfter('open')).toBe('unassigned');
    expect(await statusAfter('spam')).toBe('spam');
    expect((await eventsOf(sandbox, id)).map((e) => e.type)).toEqual(['inbound', 'archive', 'reopen', 'trash', 'restore', 'trash']);
    expect(() => sandbox.control.setStatus(id, 'closed' as never)).toThrow(UsageError);
  });

  it('tags, untags, assigns and unassigns with matching events and targets', async () => {
    const id = sandbox.control.addConversation({ messages: 1 });
    const teammate = sandbox.control.truth().teammates[0]!;
    sandbox.control.tag(id, 'bug');
    sandbox.control.tag(id, 'bug');
    sandbox.control.assign(id, teammate.id);
    expect((await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body.status).toBe('assigned');
    sandbox.control.untag(id, 'bug');
    sandbox.control.untag(id, 'bug');
    sandbox.control.assign(id, null);
    const events = await eventsOf(sandbox, id);
    // A target's data is a message or teammate (an id) or a tag (an id and a name).
    const targetOf = (e: ServedEvent) => e.target as { _meta: { type: string }; data: { id?: string; name?: string } } | undefined;
    expect(events.map((e) => [e.type, targetOf(e)?._meta.type, targetOf(e)?.data.id ?? targetOf(e)?.data.name])).toEqual([
      ['inbound', 'message', expect.stringMatching(/^msg_/)],
      ['tag', 'tag', expect.stringMatching(/^tag_/)],
      ['assign', 'teammate', teammate.id],
      ['untag', 'tag', targetOf(events[1]!)!.data.id],
      ['unassign', 'teammate', teammate.id],
    ]);
    const final = (await apiGet(sandbox, `/conversations/${id}`)).body;
    expect(final).toMatchObject({ status: 'unassigned', assignee: null, tags: [] });
  });

  it('stores hostile raw bodies without an event or a bump', async () => {
    const id = sandbox.control.addConversation({ messages: 1 });
    const messageId = sandbox.control.truth().conversations.find((c) => c.id === id)!.messages[0]!.id;
    const before = (await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body.updated_at;
    const eventCount = sandbox.control.truth().events.length;
    const hostile = `${'<div>'.repeat(5000)}\u0000\u001b[31m<script>x</script>${'</div>'.repeat(5000)}`;
    now += 60_000;
    sandbox.control.setMessageBody(messageId, hostile);
    const message = (await apiGet<ServedMessage>(sandbox, `/messages/${messageId}`)).body;
    expect(message.body).toBe(hostile);
    expect(message.text).toBeUndefined();
    expect((await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body.updated_at).toBe(before);
    expect(sandbox.control.truth().events.length).toBe(eventCount);
  });

  it('sets a tag list raw, without an event or a bump: every name once, existing tags reused', async () => {
    const id = sandbox.control.addConversation({ messages: 1, tags: ['bulk-1'] });
    const before = (await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body;
    const eventCount = sandbox.control.truth().events.length;
    const names = Array.from({ length: 2000 }, (_, i) => `bulk-${i}`);
    now += 60_000;
    sandbox.control.setTags(id, names);
    const after = (await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body;
    expect(after.tags!.map((t) => t.name)).toEqual(names);
    expect(after.tags![1]!.id).toBe(before.tags![0]!.id);
    expect(after.updated_at).toBe(before.updated_at);
    expect(sandbox.control.truth().events.length).toBe(eventCount);
  });

  it('truth() is a copy that follows every change: changing one changes neither the API nor the next truth()', async () => {
    const id = sandbox.control.addConversation({ messages: 1, tags: ['copy-1'] });
    const first = sandbox.control.truth();
    const mine = first.conversations.find((c) => c.id === id)!;
    mine.subject = 'changed by a test';
    mine.tags![0]!.name = 'renamed by a test';
    first.inboxes[0]!.name = 'renamed by a test';
    const again = sandbox.control.truth();
    expect(again.conversations.find((c) => c.id === id)!.subject).not.toBe('changed by a test');
    expect(again.conversations.find((c) => c.id === id)!.tags![0]!.name).toBe('copy-1');
    expect(again.inboxes[0]!.name).not.toBe('renamed by a test');
    const served = (await apiGet<ServedConversation>(sandbox, `/conversations/${id}`)).body;
    expect(served.tags![0]!.name).toBe('copy-1');
    // Each kind of change shows in the next truth(): a tag, a raw body, a new message.
    sandbox.control.tag(id, 'copy-2');
    expect(sandbox.control.truth().conversations.find((c) => c.id === id)!.tags!.map((t) => t.name)).toEqual(['copy-1', 'copy-2']);
    const messageId = again.conversations.find((c) => c.id === id)!.messages[0]!.id;
    sandbox.control.setMessageBody(messageId, '<p>new body</p>');
    expect(sandbox.control.truth().conversations.find((c) => c.id === id)!.messages[0]!.body).toBe('<p>new body</p>');
    sandbox.control.addMessage(id, { text: 'one more' });
    expect(sandbox.control.truth().conversations.find((c) => c.id === id)!.messages).toHaveLength(2);
  });

  it('refuses unknown ids', () => {
    expect(() => sandbox.control.addMessage('cnv_nope', {})).toThrow(UsageError);
    expect(() => sandbox.control.assign(sandbox.control.truth().conversations[0]!.id, 'tea_nope')).toThrow(UsageError);
    expect(() => sandbox.control.addConversation({ inbox: 'Nowhere' })).toThrow(UsageError);
    expect(() => sandbox.control.setMessageBody('msg_nope', 'x')).toThrow(UsageError);
    expect(() => sandbox.control.setTags('cnv_nope', ['x'])).toThrow(UsageError);
  });
});

describe('control over HTTP', () => {
  const sandbox = withSandbox({ seed: 'remote', conversations: 10, rateLimit: false });
  const call = async (method: string, body?: unknown, httpMethod = 'POST') => {
    const res = await fetch(`${sandbox.url}/__sandbox/${method}`, {
      method: httpMethod,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // A control method's JSON result: what the test reads of it, it names.
    return { status: res.status, body: (await res.json()) as { result?: unknown; error?: string } };
  };

  it('runs control methods from a JSON body: an argument array, a single argument, or none', async () => {
    const created = await call('addConversation', { subject: 'From afar', messages: 1 });
    expect(created.status).toBe(200);
    const id = created.body.result as string;
    expect((await call('addMessage', [id, { text: 'second' }])).body.result).toMatch(/^msg_/);
    expect((await call('tag', [id, 'vip'])).status).toBe(200);
    const truth = (await call('truth')).body.result as SandboxTruth;
    const conversation = truth.conversations.find((c) => c.id === id)!;
    expect(conversation.subject).toBe('From afar');
    expect(conversation.messages.map((m) => m.text)).toContain('second');
    expect(conversation.tags!.map((t) => t.name)).toEqual(['vip']);

    await call('failNext', { path: '/me', status: 502, count: 1 });
    expect((await apiGet(sandbox, '/me')).status).toBe(502);
    const log = (await call('requestLog')).body.result as unknown[];
    expect(log.at(-1)).toMatchObject({ path: '/me', status: 502, token: 'full' });
  });

  it('answers 400 for refused calls, 404 for unknown methods, 405 for other verbs', async () => {
    expect((await call('addMessage', ['cnv_nope', {}])).status).toBe(400);
    expect((await call('setFaults', { errorRate: 5 })).status).toBe(400);
    expect((await call('dropDatabase')).status).toBe(404);
    expect((await call('truth', undefined, 'GET')).status).toBe(405);
  });
});

describe('webhooks', () => {
  const sandbox = withSandbox({ seed: 'hooks', conversations: 5, rateLimit: false });

  /** A webhook receiver on 127.0.0.1 that records each request and answers a challenge. */
  async function webhookReceiver() {
    const received: { url: string; headers: IncomingMessage['headers']; raw: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        const challenge = req.headers['x-front-challenge'];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(challenge ? JSON.stringify({ challenge }) : '{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/front`;
    return { received, url, close: () => new Promise((resolve) => receiver.close(resolve)) };
  }

  it('validates with a challenge, then POSTs one signed application webhook per event', async () => {
    const { received, url, close } = await webhookReceiver();
    try {
      const secret = 'shh-webhook-secret';
      sandbox.control.setWebhook({ url, secret });
      const id = sandbox.control.addConversation({ messages: 1 });
      sandbox.control.tag(id, 'vip');
      await sandbox.control.flushWebhooks();

      expect(received).toHaveLength(3);
      for (const { headers, raw } of received) {
        const timestamp = headers['x-front-request-timestamp'] as string;
        expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000);
        const expected = createHmac('sha256', secret).update(`${timestamp}:${raw}`).digest('base64');
        expect(headers['x-front-signature']).toBe(expected);
      }
      expect(JSON.parse(received[0]!.raw)).toEqual({ type: 'sync', authorization: { id: sandbox.control.truth().company.id } });
      const bodies = received.slice(1).map((r) => JSON.parse(r.raw));
      expect(bodies.map((b) => b.type)).toEqual(['inbound', 'tag']);
      const truthEvents = sandbox.control.truth().events.slice(-2);
      bodies.forEach((body, i) => {
        expect(body.authorization.id).toBe(sandbox.control.truth().company.id);
        expect(body.payload).toMatchObject({ id: truthEvents[i]!.id, type: body.type, emitted_at: truthEvents[i]!.emitted_at });
        expect(body.payload.conversation.id).toBe(id);
        expect(body.payload.conversation._links.self).toBe(`${sandbox.url}/conversations/${id}`);
        expect(body.payload.target).toBeUndefined();
      });
      expect(sandbox.control.webhookLog()).toEqual([
        { eventId: null, type: 'sync', status: 200, challengeAnswered: true },
        { eventId: truthEvents[0]!.id, type: 'inbound', status: 200 },
        { eventId: truthEvents[1]!.id, type: 'tag', status: 200 },
      ]);
      expect(JSON.stringify(sandbox.control.webhookLog())).not.toContain(secret);

      sandbox.control.setWebhook(null);
      sandbox.control.untag(id, 'vip');
      await sandbox.control.flushWebhooks();
      expect(received).toHaveLength(3);
    } finally {
      await close();
    }
  });

  it("sends rule webhooks unsigned to the URL ending in the rule's secret: previews, or with rule-full the conversation and message as at the event", async () => {
    const { received, url, close } = await webhookReceiver();
    try {
      const secret = 'rule-secret/with slash';
      const id = sandbox.control.addConversation({ messages: 1 });
      sandbox.control.setWebhook({ url, secret, kind: 'rule' });
      sandbox.control.tag(id, 'preview-only');
      sandbox.control.setWebhook({ url, secret, kind: 'rule-full' });
      sandbox.control.addMessage(id, { text: 'Sent with full event data' });
      sandbox.control.tag(id, 'later');
      await sandbox.control.flushWebhooks();

      // No validation challenge and no signature: rules cannot sign.
      expect(received.map((r) => r.url)).toEqual(Array(3).fill(`/front/${encodeURIComponent(secret)}`));
      for (const r of received) expect(r.headers['x-front-signature']).toBeUndefined();
      const [preview, message, tag] = received.map((r) => JSON.parse(r.raw));
      expect(preview).toMatchObject({ type: 'tag', conversation: { id } });
      expect(preview.conversation.status).toBeUndefined();
      const tagNames = (body: { conversation: { tags: { name: string }[] } }) => body.conversation.tags.map((t) => t.name);
      expect(message).toMatchObject({ type: 'inbound', conversation: { id, status: expect.any(String) } });
      expect(tagNames(message)).toEqual(['preview-only']);
      expect(message.target._meta.type).toBe('message');
      expect(message.target.data.body).toContain('Sent with full event data');
      expect(message.conversation._links.related.last_message).toContain(message.target.data.id);
      // The conversation as it was at each event: the later tag is only in the later event's body.
      expect(tagNames(tag)).toEqual(['preview-only', 'later']);
      expect(() => sandbox.control.setWebhook({ url, secret, kind: 'other' as never })).toThrow(/kind must be app, rule or rule-full/);
    } finally {
      sandbox.control.setWebhook(null);
      await close();
    }
  });
});
