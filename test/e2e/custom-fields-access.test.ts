// Issue 21: a token that may not read Front's custom field list (the sandbox's noCustomFields token
// answers 403 there) does not fail the run. Scope and routing by custom field are judged on the
// fields each conversation carries; one that lacks a named field is held back (not sent with a
// label it may not deserve, not dropped), the summary and `status` say so, and the first run with a
// token that can read the list sends exactly what a full token would have sent. In-process.

import { describe, expect, it } from 'vitest';
import { closeAfterEach, importable, latestById, scenario } from '../helpers/e2e.ts';

const keep = closeAfterEach();
const UNPACED = { FRONT_IMPORT_NO_PACING: '1' };
const CONFIG = ['scope: {customFields: {Plan: Enterprise}}', 'routing: {labels: [{when: {customField: {Region: EMEA}}, label: emea}]}', ''].join('\n');

describe('custom fields without access to their list', () => {
  it('holds back what it cannot judge, says so, and sends it once the list is readable', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 21, rateLimit: false }, config: CONFIG, token: 'noCustomFields' }));
    const truth = importable(s.sandbox.control.truth().conversations);
    const enterprise = truth.filter((c) => c.custom_fields?.Plan === 'Enterprise');
    const withoutRegion = enterprise.filter((c) => c.custom_fields?.Region === undefined);
    const withoutPlan = truth.filter((c) => c.custom_fields?.Plan === undefined);
    // The seed has each case: judged, held for the rule's field, held for the scope's field.
    expect(enterprise.length - withoutRegion.length).toBeGreaterThan(0);
    expect(withoutRegion.length).toBeGreaterThan(0);
    expect(withoutPlan.length).toBeGreaterThan(0);

    const denied = await s.cli(['backfill', '--since', '8d', '--json'], UNPACED);
    expect(denied.code, denied.stderr).toBe(0);
    expect(denied.stderr).toMatch(/may not read Front's custom field list \(403\)/);
    const summary = JSON.parse(denied.stdout);
    expect(summary.heldBack).toEqual([expect.objectContaining({ subscription: 'default', conversations: withoutRegion.length + withoutPlan.length })]);
    // Only what could be judged was sent, and with the right labels.
    const sent = new Map(s.receiver.accepted().map((a) => [a.id, a]));
    const judged = enterprise.filter((c) => c.custom_fields?.Region !== undefined);
    expect([...sent.keys()].sort()).toEqual(judged.map((c) => `front:${c.id}`).sort());
    for (const batch of s.receiver.batches) {
      for (const h of batch.highlights) expect(h.labels).toEqual(truth.find((c) => `front:${c.id}` === h.id)!.custom_fields?.Region === 'EMEA' ? ['emea'] : []);
    }
    const status = await s.cli(['status'], UNPACED);
    expect(status.stdout + status.stderr).toMatch(new RegExp(`"default": ${withoutRegion.length + withoutPlan.length} conversation\\(s\\) held back`));

    // Access granted: the held ones the scope takes go out, no Front request needed for them.
    const full = await s.cli(['sync'], { ...UNPACED, FRONT_API_TOKEN: s.sandbox.tokens.full });
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout + full.stderr).toContain(`custom fields readable again: ${withoutRegion.length} Highlight(s) held back from "default"`);
    // What a token with access would have sent: every Enterprise conversation, labelled by its region.
    const delivered = latestById(s.receiver);
    expect([...delivered.keys()].sort()).toEqual(enterprise.map((c) => `front:${c.id}`).sort());
    for (const c of enterprise) expect(delivered.get(`front:${c.id}`)!.labels).toEqual(c.custom_fields?.Region === 'EMEA' ? ['emea'] : []);
    expect(s.receiver.accepted().length).toBe(enterprise.length);
    const after = await s.cli(['status'], UNPACED);
    expect(after.stdout + after.stderr).not.toMatch(/held back/);
  }, 60_000);
});
