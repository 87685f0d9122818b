// Scenario 3: the destination misbehaving. Down for a whole run: exit 6 with everything pending and
// nothing lost; back up: the backlog goes first, in order. Down half way, slow past the timeout, or
// an NDJSON file that cannot be written: retried or left pending, never lost, never doubled.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeSince, importable, scenario, type Scenario, statusOf, closeAfterEach } from '../helpers/e2e.ts';

/** Conversations the default scope imports (spam and trashed left out). */
const total = (s: Scenario) => importable(s.sandbox.control.truth().conversations).length;
import { auditDelivery } from '../helpers/reliability.ts';

const DAY = 86_400_000;
const SINCE = '8d';

const keep = closeAfterEach();

const expectedIds = (s: Scenario) => activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`);

describe('destination faults', () => {
  it('down for the whole run: exit 6, all pending; back up: the backlog goes first, in the order of an uninterrupted run, then what changed', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 61 }, destination: { batchSize: 7, retries: 2 } }));
    await s.receiver.down();
    const down = await s.cli(['backfill', '--since', SINCE]);
    expect(down.code).toBe(6);
    expect(down.stderr).toMatch(/destination .* unavailable after 3 attempts/);
    const n = total(s);
    expect((await statusOf(s)).totals).toMatchObject({ conversations: n, pending: n, delivered: 0 });
    const reference = await s.reference(['backfill', '--since', SINCE]);
    expect(reference.result.code).toBe(0);

    const changed = importable(s.sandbox.control.truth().conversations)[5]!.id;
    s.sandbox.control.addMessage(changed, { text: 'Still waiting for the refund.' });
    const added = s.sandbox.control.addConversation({ subject: 'New while the destination was down' });
    await s.receiver.up();
    const back = await s.cli(['sync']);
    expect(back.code).toBe(0);

    const got = s.receiver.accepted();
    expect(got.slice(0, n).map((d) => `${d.id}@${d.version}`)).toEqual(reference.delivered.map((d) => `${d.id}@${d.version}`));
    expect(got.slice(n).map((d) => d.id).sort()).toEqual([`front:${added}`, `front:${changed}`].sort());
    const audit = auditDelivery(s.receiver, expectedIds(s));
    expect(audit).toMatchObject({ missing: [], unexpected: [], duplicateVersions: [], regressions: [] });
    expect((await statusOf(s)).totals).toMatchObject({ pending: 0, delivered: n + 1 });
    console.log(`destination-down: exit ${down.code}, ${n} pending kept; back up: ${n} backlog in order, then 2 changes, ${audit.missing.length} missing`);
  });

  it('goes down half way: exit 6; the batch it was given is re-sent with its key, nothing lost or doubled', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 80, seed: 62 }, destination: { batchSize: 10, retries: 1 } }));
    s.receiver.behave({ onRequest: (count) => count === 4 && void s.receiver.down() });
    const broken = await s.cli(['backfill', '--since', SINCE]);
    expect(broken.code).toBe(6);
    const pending = (await statusOf(s)).totals!.pending;
    expect(pending).toBeGreaterThanOrEqual(total(s) - 30);

    s.receiver.behave({ onRequest: undefined });
    await s.receiver.up();
    expect((await s.cli(['backfill', '--since', SINCE])).code).toBe(0);
    const audit = auditDelivery(s.receiver, expectedIds(s));
    expect(audit).toMatchObject({ missing: [], unexpected: [], duplicateVersions: [] });
    console.log(`destination-down-midway: exit ${broken.code} with ${pending} pending, next run delivered the rest: ${audit.delivered} delivered, ${audit.resent} re-sent with their key`);
  });

  it('slow past the timeout: each POST is retried under the same key, and the receiver stores every version once', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 50, seed: 63 }, destination: { batchSize: 10, timeoutMs: 400 } }));
    s.receiver.behave({ slowNext: { count: 3, ms: 1200 } });
    const r = await s.cli(['backfill', '--since', SINCE]);
    expect(r.code).toBe(0);
    const audit = auditDelivery(s.receiver, expectedIds(s));
    expect(audit).toMatchObject({ missing: [], unexpected: [], duplicateVersions: [] });
    // The slow requests were taken by the receiver after the client gave up on them: their retries repeat the key.
    expect(audit.resent).toBeGreaterThanOrEqual(1);
    expect(s.receiver.batches).toHaveLength(5);
    console.log(`destination-slow: 3 POSTs answered after the 400 ms timeout, ${s.receiver.requests} requests for 5 batches, ${audit.resent} re-sent with their key, ${audit.missing.length} missing`);
  });

  it('an NDJSON file that cannot be written: exit 2 before fetching; one that fails while writing: exit 6, all pending; a writable path gets every Highlight once', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 64 } }));
    const blocker = join(s.work.dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const refused = await s.cli(['backfill', '--since', SINCE, '--to', join(blocker, 'highlights.ndjson')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/destination .*not-a-dir\/highlights\.ndjson cannot be created/);
    expect(s.sandbox.control.requestLog()).toEqual([]);

    // Writable when checked, then every write fails: /dev/full answers ENOSPC, as a full disk does.
    const bad = await s.cli(['backfill', '--since', SINCE, '--to', '/dev/full']);
    expect(bad.code).toBe(6);
    expect(bad.stderr).toMatch(/cannot write to \/dev\/full: ENOSPC/);
    expect((await statusOf(s)).totals).toMatchObject({ pending: total(s), delivered: 0 });

    const out = join(s.work.dir, 'out', 'highlights.ndjson');
    mkdirSync(join(s.work.dir, 'out'));
    // Another destination: it gets the whole window itself (delivery state is kept per destination).
    expect((await s.cli(['backfill', '--since', SINCE, '--to', out])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string });
    expect(lines.map((h) => h.id).sort()).toEqual(expectedIds(s).sort());
    console.log(`destination-ndjson: unwritable path exit ${bad.code}, ${total(s)} pending; writable path: ${lines.length} lines, one per conversation`);
  });
});
