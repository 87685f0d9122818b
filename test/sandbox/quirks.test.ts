// Front behaviours the sandbox plays on request: expiring page tokens, cyclic next links, offset
// tokens that shift under deletes, poisoned conversations, a page without _pagination, clock skew.

import { describe, expect, it } from 'vitest';
import { allPages, apiGet, type ErrorBody, idsOf, type Page, type ServedConversation, withSandbox } from '../helpers/sandbox.ts';


describe('sandbox quirks', () => {
  const sandbox = withSandbox({ seed: 'quirks', conversations: 60, rateLimit: false }, 'each');

  it('expirePageTokens: every token issued so far answers 400 "page_token has expired"; new ones work', async () => {
    const first = await apiGet<Page<ServedConversation>>(sandbox, '/conversations?limit=10');
    const next = first.body._pagination!.next!;
    expect((await apiGet(sandbox, next)).status).toBe(200);
    sandbox.control.expirePageTokens();
    const expired = await apiGet<ErrorBody>(sandbox, next);
    expect(expired.status).toBe(400);
    expect(expired.body._error.message).toBe('page_token has expired');
    const fresh = await apiGet<Page<ServedConversation>>(sandbox, '/conversations?limit=10');
    expect((await apiGet(sandbox, fresh.body._pagination!.next!)).status).toBe(200);
  });

  it('setCyclicNext: page N links back to page 1, a cycle of N pages', async () => {
    sandbox.control.setCyclicNext({ path: '/conversations', length: 2 });
    const urls: string[] = [];
    let url: string | null = '/conversations?limit=5';
    for (let i = 0; i < 6 && url; i++) {
      urls.push(url);
      url = (await apiGet<Page<ServedConversation>>(sandbox, url)).body._pagination!.next!;
    }
    expect(urls[3]).toBe(urls[1]);
    expect(urls[4]).toBe(urls[2]);
    expect(urls[5]).toBe(urls[1]);
    sandbox.control.setCyclicNext(null);
    expect(idsOf(await allPages(sandbox, '/conversations?limit=5'))).toHaveLength(60);
  });

  it('offset tokens with deletes during paging: the conversation at each page boundary is skipped', async () => {
    const before = sandbox.control.truth().conversations.length;
    sandbox.control.setPageTokens('offset');
    sandbox.control.setDeletesDuringPaging(1);
    const walked = idsOf(await allPages(sandbox, '/conversations?limit=10'));
    const left = sandbox.control.truth().conversations.map((c) => c.id);
    // 5 pages with a next each deleted one already served: 5 of the survivors slid under an offset.
    expect(left).toHaveLength(before - 5);
    expect(left.filter((id) => !walked.includes(id))).toHaveLength(5);
    expect((await apiGet(sandbox, `/conversations/${walked[0]}`)).status).toBe(404);
  });

  it('poisonConversation: the conversation reads, its messages answer 404 both ways', async () => {
    const c = sandbox.control.truth().conversations[0]!;
    sandbox.control.poisonConversation(c.id);
    expect((await apiGet(sandbox, `/conversations/${c.id}`)).status).toBe(200);
    expect((await apiGet(sandbox, `/conversations/${c.id}/messages`)).status).toBe(404);
    expect((await apiGet(sandbox, `/messages/${c.messages[0]!.id}`)).status).toBe(404);
    sandbox.control.poisonConversation(c.id, false);
    expect((await apiGet(sandbox, `/conversations/${c.id}/messages`)).status).toBe(200);
  });

  it("failNext kind no-pagination: a 200 list without _pagination", async () => {
    sandbox.control.failNext({ path: '/conversations', kind: 'no-pagination', count: 1 });
    const page = await apiGet<Page<ServedConversation>>(sandbox, '/conversations?limit=5');
    expect(page.status).toBe(200);
    expect(page.body._results).toHaveLength(5);
    expect(page.body._pagination).toBeUndefined();
  });

  it('setClockSkew: Date headers and new events run on the skewed clock', async () => {
    sandbox.control.setClockSkew(-600_000);
    const answer = await apiGet(sandbox, '/me');
    const date = Date.parse(answer.headers.get('date')!);
    expect(Date.now() - date).toBeGreaterThan(590_000);
    const id = sandbox.control.addConversation({ subject: 'skewed' });
    const created = sandbox.control.truth().conversations.find((c) => c.id === id)!;
    expect(Date.now() - created.created_at! * 1000).toBeGreaterThan(590_000);
  });
});
