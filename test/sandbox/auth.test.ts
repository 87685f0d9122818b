import { describe, expect, it } from 'vitest';
import { allPages, apiGet, type ErrorBody, type Page, type ServedConversation, type ServedEvent, type ServedInbox, withSandbox } from '../helpers/sandbox.ts';

describe('auth and scopes', () => {
  const sandbox = withSandbox({ seed: 'auth', conversations: 120, rateLimit: false });

  it('answers 401 with Front\'s error body for a missing, unknown or revoked token', async () => {
    const answers = [
      await apiGet<ErrorBody>(sandbox, '/me', null),
      await fetch(`${sandbox.url}/me`, { headers: { authorization: 'Bearer not-a-token' } }).then(async (r) => ({ status: r.status, body: (await r.json()) as ErrorBody })),
      await apiGet<ErrorBody>(sandbox, '/me', 'revoked'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body._error).toEqual({ status: 401, title: 'Unauthorized', message: expect.any(String) });
    }
    expect((await apiGet(sandbox, '/me')).status).toBe(200);
  });

  it('never puts a token in the request log, only its label', async () => {
    sandbox.control.clearRequestLog();
    await apiGet(sandbox, '/me', 'noPrivate');
    await apiGet(sandbox, '/me', 'revoked');
    await apiGet(sandbox, '/me', null);
    const log = sandbox.control.requestLog();
    expect(log.map((r) => [r.path, r.pathTemplate, r.token, r.status])).toEqual([
      ['/me', '/me', 'noPrivate', 200],
      ['/me', '/me', 'revoked', 401],
      ['/me', '/me', 'none', 401],
    ]);
    const dump = JSON.stringify(log);
    for (const token of Object.values(sandbox.tokens)) expect(dump).not.toContain(token);
  });

  it('hides private inboxes and their conversations from a token without private access', async () => {
    const truth = sandbox.control.truth();
    const privateInbox = truth.inboxes.find((i) => i.is_private)!;
    const privateIds = new Set(truth.conversations.filter((c) => c.is_private).map((c) => c.id));
    expect(privateIds.size).toBeGreaterThan(0);

    const inboxes = (await apiGet<Page<ServedInbox>>(sandbox, '/inboxes', 'noPrivate')).body._results.map((i) => i.id);
    expect(inboxes).not.toContain(privateInbox.id);
    expect((await apiGet<Page<ServedInbox>>(sandbox, '/inboxes', 'full')).body._results.map((i) => i.id)).toContain(privateInbox.id);

    const listed = (await allPages<ServedConversation>(sandbox, '/conversations?limit=100', 'noPrivate')).flatMap((p) => p._results.map((c) => c.id));
    expect(listed).toHaveLength(truth.conversations.length - privateIds.size);
    expect(listed.filter((id: string) => privateIds.has(id))).toEqual([]);

    const searched = await apiGet<Page<ServedConversation>>(sandbox, '/conversations/search/is:open?limit=100', 'noPrivate');
    expect(searched.body._results.filter((c) => privateIds.has(c.id))).toEqual([]);
    const searchedFull = await apiGet<Page<ServedConversation>>(sandbox, '/conversations/search/is:open?limit=100', 'full');
    expect(searched.body._total).toBeLessThan(searchedFull.body._total!);

    const events = (await allPages<ServedEvent>(sandbox, '/events?sort_order=asc', 'noPrivate')).flatMap((p) => p._results);
    expect(events.length).toBe(truth.events.filter((e) => !privateIds.has(e.conversation_id)).length);
    expect(events.filter((e) => privateIds.has(e.conversation!.id))).toEqual([]);
  });

  it('answers 403 to direct reads of private conversations, their messages and inbox', async () => {
    const truth = sandbox.control.truth();
    const secret = truth.conversations.find((c) => c.is_private)!;
    const inbox = truth.inboxes.find((i) => i.is_private)!;
    for (const path of [`/conversations/${secret.id}`, `/conversations/${secret.id}/messages`, `/messages/${secret.messages[0]!.id}`]) {
      const answer = await apiGet<ErrorBody>(sandbox, path, 'noPrivate');
      expect(answer.status, path).toBe(403);
      expect(answer.body._error.message).toContain('not allowed to read the conversation');
      expect((await apiGet(sandbox, path, 'full')).status).toBe(200);
    }
    expect((await apiGet(sandbox, `/inboxes/${inbox.id}/conversations`, 'noPrivate')).status).toBe(403);
  });

  it('answers 403 naming the events scope to a token without it, which can still read conversations', async () => {
    const answer = await apiGet<ErrorBody>(sandbox, '/events', 'noEvents');
    expect(answer.status).toBe(403);
    expect(answer.body._error.message).toContain('events:*:read');
    expect((await apiGet(sandbox, '/conversations?limit=1', 'noEvents')).status).toBe(200);
  });

  it('answers 404 with an _error body for unknown paths and ids, and 405 for writes', async () => {
    for (const path of ['/nope', '/conversations/cnv_missing', '/messages/msg_missing', '/events/evt_zz']) {
      const answer = await apiGet<ErrorBody>(sandbox, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body._error.status).toBe(404);
    }
    const post = await fetch(`${sandbox.url}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.tokens.full}` } });
    expect(post.status).toBe(405);
  });
});
