// `connect` in-process: the text a user reads before trusting a token, the --check line and the
// --json object, against the in-process sandbox. Exit codes and --save's file stay in
// test/e2e/connect.test.ts (through the binary).

import { afterEach, describe, expect, it } from 'vitest';
import { runConnect } from '../../src/commands/connect/index.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle, SandboxOptions, TokenLabel } from '../../src/sandbox/types.ts';
import { fakeContext, type FakeContext } from '../helpers/fake-context.ts';
import { fixedClock } from '../helpers/in-process.ts';

let open: Array<FakeContext | SandboxHandle> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function connect(
  sandboxOpts: SandboxOptions,
  opts: { check?: boolean; json?: boolean; token?: TokenLabel; config?: string } = {},
) {
  const clock = fixedClock();
  const sandbox = await startSandbox({ conversations: 5, now: clock, ...sandboxOpts });
  open.push(sandbox);
  const f = await fakeContext({ sandbox, clock, flags: { json: opts.json }, config: opts.config, env: { FRONT_API_TOKEN: sandbox.tokens[opts.token ?? 'full'] } });
  open.push(f);
  const code = await runConnect({ check: Boolean(opts.check), save: false, json: Boolean(opts.json) }, f.ctx);
  return { code, f, sandbox, truth: sandbox.control.truth() };
}

const inboxEntry = (inbox: { id: string; name: string }) => `${inbox.name} [${inbox.id}]`;

describe('connect', () => {
  it('names the company, lists every inbox with the private ones marked once, every tag, allows events, says what it imports, and compares the rate limit with the plan', async () => {
    const { code, f, truth, sandbox } = await connect({ seed: 41 });
    expect(code).toBe(0);
    expect(truth.inboxes.some((i) => i.is_private)).toBe(true);
    // "VIP (private)" is not marked "(private)" a second time.
    const marked = (i: { name: string; is_private?: boolean | null }) => Boolean(i.is_private) && !/private/i.test(i.name);
    expect(f.stdout().trimEnd().split('\n')).toEqual([
      `✓ token works for ${truth.company.name} (${truth.company.id}) at ${sandbox.url}`,
      `inboxes (${truth.inboxes.length}): ${truth.inboxes.map((i) => `${inboxEntry(i)}${marked(i) ? ' (private)' : ''}`).join(', ')}`,
      `tags (${truth.tags.length}): ${truth.tags.map((t) => t.name).join(', ')}`,
      'events: allowed (imports use the event stream: fewest requests)',
      'imports: open, archived conversations; spam and trashed are not imported unless scope.statuses names them',
      "text: the writer's own words from the latest message (highlights.textFrom)",
      expect.stringMatching(/^rate limit: Front reports 100 per window, \d+ remaining \(as configured: the professional plan's 100\); front-import uses 80%$/),
    ]);
    expect(f.stderr()).toBe('');
  });

  it('says which statuses and whose words a run imports when the config names them', async () => {
    const { f } = await connect({ seed: 47 }, { config: 'scope:\n  statuses: [spam, open]\nhighlights:\n  textFrom: first-inbound\n' });
    expect(f.stdout()).toContain('imports: spam, open conversations (scope.statuses)');
    expect(f.stdout()).toContain("from the customer's first message");
  });

  it('says when the token cannot read events, and when Front reports another limit than the configured plan', async () => {
    const { f } = await connect({ seed: 42, plan: 'starter' }, { token: 'noEvents', config: 'front:\n  plan: professional\n' });
    expect(f.stdout()).toMatch(/^events: not allowed \(token lacks events:\*:read; imports list conversations instead, which costs more requests\)$/m);
    expect(f.stdout()).toMatch(/^rate limit: Front reports 50 per window, \d+ remaining \(config says the professional plan's 100; pacing follows Front's figure\); front-import uses 80%$/m);
  });

  it('says so when Front reports no rate limit, and what it paces at instead', async () => {
    const { f } = await connect({ seed: 49, rateLimit: false }, { config: 'front:\n  plan: enterprise\n' });
    expect(f.stdout()).toMatch(/^rate limit: Front reported none; front-import paces at 80% of the enterprise plan's 200$/m);
  });

  it('lists no private inbox for a token without private access', async () => {
    const { f, truth } = await connect({ seed: 43 }, { token: 'noPrivate', json: true });
    const listed = f.json().inboxes as Array<{ id: string; private: boolean }>;
    expect(listed.map((i) => i.id).sort()).toEqual(truth.inboxes.filter((i) => !i.is_private).map((i) => i.id).sort());
    expect(listed.every((i) => !i.private)).toBe(true);
  });

  it('--json prints one object: company, inboxes, tags, events access, strategy, scope and rate limit', async () => {
    const { code, f, truth, sandbox } = await connect({ seed: 44 }, { json: true });
    expect(code).toBe(0);
    expect(f.stderr()).toBe('');
    expect(f.json()).toEqual({
      ok: true,
      url: sandbox.url,
      company: truth.company,
      inboxes: truth.inboxes.map((i) => ({ id: i.id, name: i.name, private: Boolean(i.is_private) })),
      tags: truth.tags.map((t) => ({ id: t.id, name: t.name })),
      eventsAllowed: true,
      strategy: 'events',
      importedStatuses: { default: ['open', 'archived'] },
      textFrom: 'latest',
      rateLimit: { reported: 100, remaining: expect.any(Number), configuredPlan: 'professional', configured: 100, share: 0.8 },
      savedTo: null,
    });
  });

  it('--check prints one line and spends a single request; with --json, one small object', async () => {
    const { f, truth, sandbox } = await connect({ seed: 45 }, { check: true });
    expect(f.stdout()).toBe(`ok: token works for ${truth.company.name} (${truth.company.id}) at ${sandbox.url}\n`);
    expect(sandbox.control.requestLog().map((e) => e.path)).toEqual(['/me']);

    const json = await connect({ seed: 45 }, { check: true, json: true });
    expect(json.f.json()).toEqual({ ok: true, company: { id: truth.company.id, name: truth.company.name }, url: json.sandbox.url, savedTo: null });
  });
});
