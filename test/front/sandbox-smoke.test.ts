// One pass over the real sandbox (src/sandbox), to catch drift between the client and the
// simulation every other test runs against.

import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, FrontProtocolError, ScopeError } from '../../src/errors.ts';
import { createFrontApi } from '../../src/front/api.ts';
import { createFrontClient } from '../../src/front/client.ts';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';

const WINDOW_MS = 1000;
let sandbox: SandboxHandle | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

async function setup(token: 'full' | 'noEvents' | 'revoked' = 'full') {
  sandbox = await startSandbox({ conversations: 40, inboxes: 2, plan: 'professional', windowMs: WINDOW_MS });
  const client = createFrontClient({
    baseUrl: sandbox.url,
    token: sandbox.tokens[token],
    userAgent: 'front-import/test',
    rpm: 100,
    share: 0.8,
    burstPerSecond: 5,
    rateWindowMs: WINDOW_MS,
    concurrency: 4,
    timeoutMs: 2000,
    retries: 3,
    retryBaseMs: 5,
  });
  return { sandbox, client, api: createFrontApi(client) };
}

describe('against the sandbox', () => {
  it('reads identity, inboxes, the whole event stream and a conversation, paced without 429s', async () => {
    const { sandbox, client, api } = await setup();
    const truth = sandbox.control.truth();

    expect((await api.me()).id).toBe(truth.company.id);
    expect((await api.inboxes()).map((i) => i.id).sort()).toEqual(truth.inboxes.map((i) => i.id).sort());
    const eventIds: string[] = [];
    for await (const page of api.events({ after: 0 })) eventIds.push(...page.items.map((e) => e.id));
    expect(eventIds).toEqual(truth.events.map((e) => e.id));

    const someone = truth.conversations[0]!;
    expect((await api.conversation(someone.id)).id).toBe(someone.id);
    expect(client.stats().rateLimited).toBe(0);
    expect(client.rateLimit()?.limit).toBe(100);
  });

  it('a token without events:*:read gets a ScopeError from /events', async () => {
    const { api } = await setup('noEvents');
    await expect(api.probeEvents()).rejects.toBeInstanceOf(ScopeError);
  });

  it('a revoked token gets an AuthError', async () => {
    const { api } = await setup('revoked');
    await expect(api.me()).rejects.toBeInstanceOf(AuthError);
  });

  it('refuses a next link pointing at a foreign origin', async () => {
    const { sandbox, api } = await setup();
    sandbox.control.setForeignNextOrigin('http://127.0.0.2:9');
    await expect(api.events({ after: 0 }).next()).rejects.toBeInstanceOf(FrontProtocolError);
  });
});
