// `connect` through the real command line, in-process: the text a user reads before trusting a
// token, the --check line and the --json object (on failure too), against the in-process sandbox.
// --save's file stays in test/e2e/connect.test.ts (through the binary).

import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle, SandboxOptions, TokenLabel } from '../../src/sandbox/types.ts';
import { fixedClock } from '../helpers/in-process.ts';
import { runCli } from '../helpers/run-cli.ts';

const open: SandboxHandle[] = [];
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
  const flags = [...(opts.check ? ['--check'] : []), ...(opts.json ? ['--json'] : [])];
  const r = await runCli(['connect', ...flags], { sandbox, clock, config: opts.config, env: { FRONT_API_TOKEN: sandbox.tokens[opts.token ?? 'full'] } });
  return { code: r.exitCode, r, sandbox, truth: sandbox.control.truth() };
}

const inboxEntry = (inbox: { id: string; name: string }) => `${inbox.name} [${inbox.id}]`;

describe('connect', () => {
  it('names the company, lists every inbox with the private ones marked once, every tag, allows events, says what it imports, and compares the rate limit with the plan', async () => {
    const { code, r, truth, sandbox } = await connect({ seed: 41 });
    expect(code).toBe(0);
    expect(truth.inboxes.some((i) => i.is_private)).toBe(true);
    // "VIP (private)" is not marked "(private)" a second time.
    const marked = (i: { name: string; is_private?: boolean | null }) => Boolean(i.is_private) && !/private/i.test(i.name);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `✓ token works for ${truth.company.name} (${truth.company.id}) at ${sandbox.url}`,
      `inboxes (${truth.inboxes.length}): ${truth.inboxes.map((i) => `${inboxEntry(i)}${marked(i) ? ' (private)' : ''}`).join(', ')}`,
      `tags (${truth.tags.length}): ${truth.tags.map((t) => t.name).join(', ')}`,
      'events: allowed (imports use the event stream: fewest requests)',
      'imports: open, archived conversations; spam and trashed are not imported unless scope.statuses names them',
      "text: the writer's own words from the latest message (highlights.textFrom)",
      expect.stringMatching(/^rate limit: Front reports 100 per window, \d+ remaining \(as configured: the professional plan's 100\); front-import uses 80%$/),
      'credential: API token (FRONT_API_TOKEN)',
    ]);
    expect(r.stderr).toBe('');
  });

  it('says which statuses and whose words a run imports when the config names them', async () => {
    const { r } = await connect({ seed: 47 }, { config: 'scope:\n  statuses: [spam, open]\nhighlights:\n  textFrom: first-inbound\n' });
    expect(r.stdout).toContain('imports: spam, open conversations (scope.statuses)');
    expect(r.stdout).toContain("from the customer's first message");
  });

  it('says when the token cannot read events, and when Front reports another limit than the configured plan', async () => {
    const { r } = await connect({ seed: 42, plan: 'starter' }, { token: 'noEvents', config: 'front:\n  plan: professional\n' });
    expect(r.stdout).toMatch(/^events: not allowed \(token lacks events:\*:read; imports list conversations instead, which costs more requests\)$/m);
    expect(r.stdout).toMatch(/^rate limit: Front reports 50 per window, \d+ remaining \(config says the professional plan's 100; pacing follows Front's figure\); front-import uses 80%$/m);
  });

  it('says so when Front reports no rate limit, and what it paces at instead', async () => {
    const { r } = await connect({ seed: 49, rateLimit: false }, { config: 'front:\n  plan: enterprise\n' });
    expect(r.stdout).toMatch(/^rate limit: Front reported none; front-import paces at 80% of the enterprise plan's 200$/m);
  });

  it('lists no private inbox for a token without private access', async () => {
    const { r, truth } = await connect({ seed: 43 }, { token: 'noPrivate', json: true });
    const listed = r.json<{ inboxes: Array<{ id: string; private: boolean }> }>().inboxes;
    expect(listed.map((i) => i.id).sort()).toEqual(truth.inboxes.filter((i) => !i.is_private).map((i) => i.id).sort());
    expect(listed.every((i) => !i.private)).toBe(true);
  });

  it('--json prints one object: company, inboxes, tags, events access, strategy, scope and rate limit', async () => {
    const { code, r, truth, sandbox } = await connect({ seed: 44 }, { json: true });
    expect(code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json()).toEqual({
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
      credential: { kind: 'api-token', source: 'FRONT_API_TOKEN' },
    });
  });

  it('--check prints one line and spends a single request; with --json, one small object', async () => {
    const { r, truth, sandbox } = await connect({ seed: 45 }, { check: true });
    expect(r.stdout).toBe(`ok: token works for ${truth.company.name} (${truth.company.id}) at ${sandbox.url}\n`);
    expect(sandbox.control.requestLog().map((e) => e.path)).toEqual(['/me']);

    const json = await connect({ seed: 45 }, { check: true, json: true });
    expect(json.r.json()).toEqual({
      ok: true,
      company: { id: truth.company.id, name: truth.company.name },
      url: json.sandbox.url,
      savedTo: null,
      credential: { kind: 'api-token', source: 'FRONT_API_TOKEN' },
    });
  });
});

describe('connect --json when it fails', () => {
  it('a refused token: exit 3, { ok: false, command, outcome, exitCode, error } on stdout, the one error line on stderr, never the token', async () => {
    const { code, r, sandbox } = await connect({ seed: 46 }, { json: true, token: 'revoked' });
    expect(code).toBe(3);
    expect(r.json()).toEqual({ ok: false, command: 'connect', outcome: 'failed', exitCode: 3, error: { kind: 'auth', message: expect.stringMatching(/Front rejected the token \(401\)/) } });
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^front-import: Front rejected the token \(401\)/)]);
    expect(r.stdout + r.stderr).not.toContain(sandbox.tokens.revoked);
  });

  it('a config error, before any request: exit 2, the same shape naming the file and the key', async () => {
    const { code, r, sandbox } = await connect({ seed: 46 }, { json: true, config: 'front:\n  plan: pro\n' });
    expect(code).toBe(2);
    expect(r.json()).toEqual({ ok: false, command: 'connect', outcome: 'failed', exitCode: 2, error: { kind: 'config', message: expect.stringMatching(/\.frontsyncrc: front\.plan: expected one of starter, professional, enterprise/) } });
    expect(sandbox.control.requestLog()).toEqual([]);
  });
});
