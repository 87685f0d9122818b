import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle, SandboxOptions } from '../../src/sandbox/types.ts';
import { apiGet, type ErrorBody, type Page, type ServedConversation } from '../helpers/sandbox.ts';

describe('faults', () => {
  const started: SandboxHandle[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  const start = async (opts: SandboxOptions = {}) => {
    const sandbox = await startSandbox({ conversations: 20, rateLimit: false, ...opts });
    started.push(sandbox);
    return sandbox;
  };
  const raw = (s: SandboxHandle, path: string, signal?: AbortSignal) =>
    fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${s.tokens.full}` }, signal });

  it('answers errorRate of requests with 5xx and an _error body', async () => {
    const s = await start({ faults: { errorRate: 1 } });
    for (let i = 0; i < 10; i++) {
      const answer = await apiGet<ErrorBody>(s, '/me');
      expect([500, 502, 503]).toContain(answer.status);
      expect(answer.body._error.status).toBe(answer.status);
    }
    s.control.setFaults({ errorRate: 0 });
    expect((await apiGet(s, '/me')).status).toBe(200);
  });

  it('holdRequests: every request but /me waits, logged with status 0, until releaseRequests', async () => {
    const s = await start();
    s.control.holdRequests();
    expect((await apiGet(s, '/me')).status).toBe(200);
    let answered = false;
    const listing = apiGet(s, '/conversations').then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    expect(s.control.requestLog().at(-1)).toMatchObject({ path: '/conversations', status: 0 });
    s.control.releaseRequests();
    expect((await listing).status).toBe(200);
    expect(s.control.requestLog().at(-1)).toMatchObject({ path: '/conversations', status: 200 });
  });

  it('fails the same requests for the same seed', async () => {
    const pattern = async () => {
      const s = await start({ seed: 'flaky', faults: { errorRate: 0.5 } });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await apiGet(s, '/me')).status);
      return statuses;
    };
    const first = await pattern();
    expect(first.filter((x) => x === 200).length).toBeGreaterThan(5);
    expect(first.filter((x) => x >= 500).length).toBeGreaterThan(5);
    expect(await pattern()).toEqual(first);
  });

  it('destroys the socket without answering at resetRate', async () => {
    const s = await start({ faults: { resetRate: 1 } });
    await expect(raw(s, '/me')).rejects.toThrow();
    expect(s.control.requestLog().at(-1)!.status).toBe(0);
  });

  it('sends a truncated JSON body with 200 at malformedRate', async () => {
    const s = await start({ faults: { malformedRate: 1 } });
    const res = await raw(s, '/conversations');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{"_pagination"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('holds a request for hangMs at hangRate, so client timeouts fire; close() does not wait for it', async () => {
    const s = await start({ faults: { hangRate: 1, hangMs: 30_000 } });
    const t0 = Date.now();
    await expect(raw(s, '/events', AbortSignal.timeout(150))).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(5_000);
    raw(s, '/me').catch(() => undefined);
    const closing = Date.now();
    await s.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
  });

  it('adds latencyMs to every response', async () => {
    const s = await start({ faults: { latencyMs: 120 } });
    const t0 = performance.now();
    expect((await apiGet(s, '/me')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
  });

  it('fails exactly the next matching requests with failNext, by path substring or template', async () => {
    const s = await start();
    const { conversations } = s.control.truth();
    const [a, b] = [conversations[0]!, conversations[1]!];
    s.control.failNext({ path: '/messages', status: 503, count: 2 });
    expect((await apiGet(s, '/me')).status).toBe(200);
    expect((await apiGet(s, `/messages/${a.messages[0]!.id}`)).status).toBe(503);
    expect((await apiGet(s, `/conversations/${a.id}/messages`)).status).toBe(503);
    expect((await apiGet(s, `/messages/${a.messages[0]!.id}`)).status).toBe(200);

    s.control.failNext({ path: '/conversations/{conversation_id}', kind: 'reset', count: 1 });
    expect((await apiGet(s, '/conversations')).status).toBe(200);
    await expect(raw(s, `/conversations/${b.id}`)).rejects.toThrow();
    expect((await apiGet(s, `/conversations/${b.id}`)).status).toBe(200);

    s.control.failNext({ kind: 'malformed', count: 1 });
    await expect(apiGet(s, '/inboxes')).rejects.toThrow(SyntaxError);
    expect((await apiGet(s, '/inboxes')).status).toBe(200);
  });

  it('answers a 429 storm with throttleNext', async () => {
    const s = await start({ windowMs: 60_000, rateLimit: true });
    s.control.throttleNext({ count: 2, retryAfterSeconds: 3 });
    const [x, y, z] = [await apiGet<ErrorBody>(s, '/me'), await apiGet(s, '/me'), await apiGet(s, '/me')];
    expect([x.status, y.status, z.status]).toEqual([429, 429, 200]);
    expect(x.headers.get('retry-after')).toBe('3');
    expect(x.body._error.status).toBe(429);
  });

  it('points next links at a foreign origin on request', async () => {
    const s = await start();
    s.control.setForeignNextOrigin('https://evil.example');
    const next = (await apiGet<Page<ServedConversation>>(s, '/conversations?limit=2')).body._pagination!.next!;
    expect(new URL(next).origin).toBe('https://evil.example');
    s.control.setForeignNextOrigin(null);
    expect(new URL((await apiGet<Page<ServedConversation>>(s, '/conversations?limit=2')).body._pagination!.next!).origin).toBe(s.url);
  });

  it('refuses nonsense fault settings', async () => {
    const s = await start();
    expect(() => s.control.setFaults({ errorRate: 2 })).toThrow(UsageError);
    expect(() => s.control.setFaults({ latencyMs: -1 })).toThrow(UsageError);
    expect(() => s.control.failNext({ count: 0 })).toThrow(UsageError);
  });
});
