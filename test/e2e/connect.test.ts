// `front-import connect` through the real binary: what a user sees before trusting a token.

import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';

const keep = closeAfterEach();

/** "Name [inb_…]", followed by " (private)" exactly for the private ones. */
function inboxEntry(inbox: { id: string; name: string }): string {
  return `${inbox.name} [${inbox.id}]`;
}

function savedConfigPath(s: Scenario): string {
  return join(s.work.env.XDG_CONFIG_HOME!, 'frontsync', 'config.json');
}

describe('connect', () => {
  it('names the company, lists every inbox with the private ones marked once, every tag, allows events, and compares the rate limit with the plan', async () => {
    const s = keep(await scenario({ sandbox: { seed: 41, conversations: 5 } }));
    const truth = s.sandbox.control.truth();
    expect(truth.inboxes.some((i) => i.is_private)).toBe(true);

    const r = await s.cli(['connect']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`token works for ${truth.company.name} (${truth.company.id}) at ${s.sandbox.url}`);
    expect(r.stdout).toContain(`inboxes (${truth.inboxes.length}):`);
    for (const inbox of truth.inboxes) {
      expect(r.stdout).toContain(inboxEntry(inbox));
      // "VIP (private)" is not marked "(private)" a second time.
      const marked = Boolean(inbox.is_private) && !/private/i.test(inbox.name);
      expect(r.stdout.includes(`${inboxEntry(inbox)} (private)`)).toBe(marked);
    }
    expect(r.stdout).not.toMatch(/\(private\)[^,\n]*\(private\)/);
    expect(r.stdout).toContain(`tags (${truth.tags.length}): ${truth.tags.map((t) => t.name).join(', ')}`);
    expect(r.stdout).toMatch(/^events: allowed/m);
    expect(r.stdout).toMatch(/^rate limit: Front reports 100 per window, \d+ remaining \(as configured: the professional plan's 100\)/m);
  });

  it('says when the token cannot read events, and when Front reports another limit than the configured plan', async () => {
    const s = keep(await scenario({ sandbox: { seed: 42, conversations: 5, plan: 'starter' }, front: { plan: 'professional' }, token: 'noEvents' }));
    const r = await s.cli(['connect']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^events: not allowed \(token lacks events:\*:read; imports list conversations instead/m);
    expect(r.stdout).toMatch(/^rate limit: Front reports 50 per window, .*config says the professional plan's 100; pacing follows Front's figure/m);
  });

  it('says so when Front reports no rate limit, and what it paces at instead', async () => {
    const s = keep(await scenario({ sandbox: { seed: 49, conversations: 5, rateLimit: false }, front: { plan: 'enterprise' } }));
    const r = await s.cli(['connect']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rate limit: Front reported none; front-import paces at 80% of the enterprise plan's 200$/m);
  });

  it('lists no private inbox for a token without private access', async () => {
    const s = keep(await scenario({ sandbox: { seed: 43, conversations: 5 }, token: 'noPrivate' }));
    const inboxes = s.sandbox.control.truth().inboxes;
    const r = await s.cli(['connect', '--json']);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout).inboxes as Array<{ id: string; private: boolean }>;
    expect(listed.map((i) => i.id).sort()).toEqual(inboxes.filter((i) => !i.is_private).map((i) => i.id).sort());
    expect(listed.every((i) => !i.private)).toBe(true);
    const human = await s.cli(['connect']);
    expect(human.stdout).not.toContain('(private)');
  });

  it('says which statuses and whose words a run imports: no spam or trash unless scope.statuses names them', async () => {
    const s = keep(await scenario({ sandbox: { seed: 47, conversations: 5 } }));
    const plain = await s.cli(['connect']);
    expect(plain.stdout).toContain('imports: open, archived conversations; spam and trashed are not imported unless scope.statuses names them');
    expect(plain.stdout).toContain("text: the writer's own words from the latest message (highlights.textFrom)");
    const scoped = keep(await scenario({ sandbox: { seed: 47, conversations: 5 }, config: 'scope:\n  statuses: [spam, open]\nhighlights:\n  textFrom: first-inbound' }));
    const all = await scoped.cli(['connect']);
    expect(all.stdout).toContain('imports: spam, open conversations (scope.statuses)');
    expect(all.stdout).toContain("from the customer's first message");
  });

  it('--json prints one object: company, inboxes, events access, strategy and rate limit', async () => {
    const s = keep(await scenario({ sandbox: { seed: 44, conversations: 5 } }));
    const truth = s.sandbox.control.truth();
    const r = await s.cli(['connect', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout);
    expect(result).toEqual({
      ok: true,
      url: s.sandbox.url,
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

  it('--check prints one line, exits 0 and spends a single request', async () => {
    const s = keep(await scenario({ sandbox: { seed: 45, conversations: 5 } }));
    const { company } = s.sandbox.control.truth();
    const r = await s.cli(['connect', '--check']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`ok: token works for ${company.name} (${company.id}) at ${s.sandbox.url}\n`);
    expect(s.sandbox.control.requestLog().map((e) => e.path)).toEqual(['/me']);
  });

  it('--save writes the token to the user config file (0600), says where, never prints it; later runs work without FRONT_API_TOKEN', async () => {
    const s = keep(await scenario({ sandbox: { seed: 46, conversations: 5 } }));
    const token = s.sandbox.tokens.full;
    const path = savedConfigPath(s);

    const r = await s.cli(['connect', '--save']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`token saved to ${path} (mode 0600)`);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ front: { token } });

    const later = await s.cli(['connect', '--check'], { FRONT_API_TOKEN: undefined });
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/^ok: token works for /);
    const withoutAny = await s.cli(['connect', '--check'], { FRONT_API_TOKEN: undefined, XDG_CONFIG_HOME: join(s.work.dir, 'elsewhere') });
    expect(withoutAny.code).toBe(3);
    expect(withoutAny.stderr).toMatch(/no Front API token: set FRONT_API_TOKEN/);
  });

  it('--save --check saves too, on the same single line', async () => {
    const s = keep(await scenario({ sandbox: { seed: 47, conversations: 5 } }));
    const path = savedConfigPath(s);
    const r = await s.cli(['connect', '--check', '--save']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ok: token works for /);
    expect(lines[0]!.endsWith(`; token saved to ${path}`)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).front.token).toBe(s.sandbox.tokens.full);
  });

  it('--save with a token Front refuses saves nothing and exits 3', async () => {
    const s = keep(await scenario({ sandbox: { seed: 48, conversations: 5 }, token: 'revoked' }));
    const r = await s.cli(['connect', '--save']);
    expect(r.code).toBe(3);
    expect(existsSync(savedConfigPath(s))).toBe(false);
  });
});
