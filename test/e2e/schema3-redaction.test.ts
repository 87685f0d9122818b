// Issue 21 through the real binary against the sandbox (teams, custom fields, ticket ids, links and
// planted personal data): schema-3 Highlights, validated; a subscription scoped by team and one
// scoped by a custom field and routed by custom field and language get exactly their Highlights;
// turning redaction on re-sends each Highlight once, redacted, with every look-alike untouched;
// and a state that had redaction on from its first run holds none of the planted values.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLANTED_PII, PLANTED_TRAPS, TEAMS } from '../../src/sandbox/extras.ts';
import type { Highlight } from '../../src/highlight/types.ts';
import type { TruthConversation } from '../../src/sandbox/index.ts';
import { run, testWorkdir } from '../helpers/cli.ts';
import { closeAfterEach, importable, latestById, scenario } from '../helpers/e2e.ts';
import { highlightErrors } from '../helpers/highlight-contract.ts';

const keep = closeAfterEach();
const PII_KEY = 'e2e-pii-key-0123456789abcdef';
/** The sandbox has no rate limit here: what is measured is what is sent, not how it is paced. */
const UNPACED = { FRONT_IMPORT_NO_PACING: '1' };
const REDACTION = ['highlights:', '  redact: [email, phone, card, iban, ip]', '  pseudonymize: true', ''].join('\n');
const SUBSCRIPTIONS = [
  'subscriptions:',
  '  - name: support-team',
  '    destination: {type: ndjson, path: ./team.ndjson}',
  '    scope: {teams: [support]}',
  '  - name: enterprise',
  '    destination: {type: ndjson, path: ./enterprise.ndjson}',
  '    scope: {customFields: {Plan: Enterprise}}',
  '    routing: {labels: [{when: {language: de}, label: german}, {when: {language: en}, label: english}, {when: {customField: {Region: EMEA}}, label: emea}]}',
  '',
].join('\n');

const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Highlight);
const latest = (rows: Highlight[]) => new Map(rows.map((h) => [h.id, h]));

describe('schema 3 and redaction through the binary', () => {
  it('routes by team, custom field and language, and turning redaction on re-sends each Highlight once, redacted', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 80, seed: 5, rateLimit: false, pii: true }, config: SUBSCRIPTIONS }));
    const first = await s.cli(['backfill', '--since', '8d', '--json'], UNPACED);
    expect(first.code, first.stderr).toBe(0);

    const truth = s.sandbox.control.truth();
    const byId = new Map(truth.conversations.map((c) => [`front:${c.id}`, c]));
    const all = latestById(s.receiver);
    expect([...all.keys()].sort()).toEqual(importable(truth.conversations).map((c) => `front:${c.id}`).sort());
    const ownerOf = new Map(truth.inboxes.map((i) => [i.id, /\/teams\/(tim_\w+)$/.exec(String(i._links?.related?.owner))?.[1] ?? null]));
    const teamName = (inboxId: string) => TEAMS.find((t) => t.id === ownerOf.get(inboxId))?.name;
    for (const [id, h] of all) {
      expect(highlightErrors(h), id).toEqual([]);
      const c = byId.get(id)!;
      expect(h.customFields).toEqual(Object.fromEntries(Object.entries(c.custom_fields ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))));
      expect(h.ticketIds).toEqual(c.ticket_ids);
      expect(h.links).toEqual((c.links ?? []).map((l) => ({ name: l.name, url: l.external_url })));
      // Every inbox is read as a lane here (a subscription scopes by team), so each conversation's team is known.
      const owner = teamName(c.inbox_id);
      if (owner) expect(h.team, id).toContain(owner);
      else expect(h.team, id).not.toContain('Success'); // the private inbox belongs to no team
    }

    // Scoped by team: every importable conversation with activity in a Support-team inbox.
    const supportInboxes = new Set(truth.inboxes.filter((i) => teamName(i.id) === 'Support').map((i) => i.id));
    const touched = new Set(truth.events.filter((e) => supportInboxes.has(e.inbox_id)).map((e) => `front:${e.conversation_id}`));
    const team = latest(lines(join(s.work.dir, 'team.ndjson')));
    expect([...team.keys()].sort()).toEqual([...all.keys()].filter((id) => touched.has(id)).sort());
    expect(team.size).toBeGreaterThan(10);
    expect(team.size).toBeLessThan(all.size);

    // Scoped by a custom field, labelled by language and by another custom field.
    const enterprise = latest(lines(join(s.work.dir, 'enterprise.ndjson')));
    const isEnterprise = (c: TruthConversation) => c.custom_fields?.Plan === 'Enterprise';
    expect([...enterprise.keys()].sort()).toEqual(importable(truth.conversations).filter(isEnterprise).map((c) => `front:${c.id}`).sort());
    expect(enterprise.size).toBeGreaterThan(5);
    const byLanguage = { de: 'german', en: 'english' } as Record<string, string>;
    for (const [id, h] of enterprise) {
      const language = all.get(id)!.language as string | null;
      const expected = [...(language && byLanguage[language] ? [byLanguage[language]!] : []), ...(byId.get(id)!.custom_fields?.Region === 'EMEA' ? ['emea'] : [])].sort();
      expect(h.labels, id).toEqual(expected);
    }
    expect([...enterprise.values()].filter((h) => h.labels.includes('english')).length).toBeGreaterThan(0);
    expect([...enterprise.values()].filter((h) => h.labels.includes('emea')).length).toBeGreaterThan(0);

    // Redaction turned on: each Highlight is sent once more (a new version, redacted), then never again.
    s.work.config(readFileSync(join(s.work.dir, '.frontsyncrc'), 'utf8') + REDACTION);
    const before = s.receiver.batches.length;
    const versions = new Map([...all].map(([id, h]) => [id, h.version]));
    const second = await s.cli(['backfill', '--since', '8d', '--json'], { ...UNPACED, FRONT_IMPORT_PII_KEY: PII_KEY });
    expect(second.code, second.stderr).toBe(0);
    const resent = s.receiver.batches.slice(before).flatMap((b) => b.highlights);
    expect(resent.map((h) => h.id).sort()).toEqual([...all.keys()].sort());
    for (const h of resent) expect(h.version).not.toBe(versions.get(h.id));
    const summary = JSON.parse(second.stdout);
    expect(summary.redactions.byKind.email).toBeGreaterThan(0);
    const body = JSON.stringify(resent);
    for (const value of PLANTED_PII) expect(body.includes(value), `${value} delivered`).toBe(false);
    // Look-alikes are untouched: each one planted in a delivered text is still there.
    const firstText = new Map([...all].map(([id, h]) => [id, String(h.text)]));
    for (const h of resent) {
      for (const trap of PLANTED_TRAPS) if (firstText.get(h.id)!.includes(trap)) expect(h.text, `${trap} in ${h.id}`).toContain(trap);
    }
    const third = await s.cli(['backfill', '--since', '8d', '--json'], { ...UNPACED, FRONT_IMPORT_PII_KEY: PII_KEY });
    expect(third.code, third.stderr).toBe(0);
    expect(s.receiver.batches.length - before).toBe(s.receiver.batches.slice(before).length);
    expect(s.receiver.batches.slice(before).flatMap((b) => b.highlights).length).toBe(resent.length);

    // A state with redaction on from its first run: nothing planted in the destination or the state file.
    const fresh = testWorkdir({ ...UNPACED, FRONT_API_TOKEN: s.sandbox.tokens.full, FRONT_IMPORT_PII_KEY: PII_KEY });
    fresh.config(['front:', `  url: ${s.sandbox.url}`, 'destination: {type: ndjson, path: ./out.ndjson}', REDACTION].join('\n'));
    const clean = await run(['backfill', '--since', '8d', '--json'], { cwd: fresh.dir, env: fresh.env });
    expect(clean.code, clean.stderr).toBe(0);
    const out = readFileSync(join(fresh.dir, 'out.ndjson'), 'utf8');
    const state = ['', '-wal'].map((suffix) => readBytes(fresh.db + suffix)).join('');
    expect(out.split('\n').filter(Boolean).length).toBe(all.size);
    for (const value of PLANTED_PII) {
      expect(out.includes(value), `${value} in the destination`).toBe(false);
      expect(state.includes(value), `${value} in the state file`).toBe(false);
    }
    expect(PLANTED_TRAPS.filter((t) => out.includes(t)).length).toBeGreaterThan(2);
  }, 180_000);
});

function readBytes(path: string): string {
  try {
    return readFileSync(path).toString('utf8');
  } catch {
    return '';
  }
}
