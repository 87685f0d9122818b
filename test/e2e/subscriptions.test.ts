// Issue 11 through the real binary: subscriptions, per-destination delivery, replay, refused items,
// company binding, signed deliveries, migration of single-destination states. Sandbox and
// receivers on 127.0.0.1.

import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { closeAfterEach, importable, latestById, scenario, statusOf, type Scenario } from '../helpers/e2e.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { readmeVerifyDelivery } from '../helpers/readme-snippet.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const keep = closeAfterEach();

// Receivers a test starts besides its scenario's, closed after it.
let receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

/** Front requests the sandbox answered 200, as "GET /path?query": a page re-read shows twice. */
function frontRequests(s: Scenario): string[] {
  return s.sandbox.control
    .requestLog()
    .filter((e) => e.status === 200)
    .map((e) => {
      const pairs = Object.entries(e.query).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]));
      return `${e.method} ${e.path}?${new URLSearchParams(pairs).toString()}`;
    });
}

const ndjsonIds = (path: string) => new Set(readFileSync(path, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id));

describe('two subscriptions from one Front pass', () => {
  it('each gets exactly its own Highlights (scope, labels, destination), and Front is read once for both', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 1, rateLimit: false }, destination: null }));
    const support = await receiver();
    const tagged = await receiver();
    s.work.config(
      readFileSync(join(s.work.dir, '.frontsyncrc'), 'utf8') +
        [
          'subscriptions:',
          '  - name: support',
          `    destination: {type: http, url: "${support.url}", retryBaseMs: 10}`,
          '    scope: {inboxes: [Support]}',
          '    routing: {labels: [{when: {tag: vip}, label: p1}]}',
          '  - name: refunds',
          `    destination: {type: http, url: "${tagged.url}", retryBaseMs: 10}`,
          '    scope: {tags: [refund]}',
          '    routing: {labels: [{when: {status: archived}, label: resolved}]}',
          '',
        ].join('\n'),
    );
    const r = await s.cli(['backfill', '--since', '8d', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const both = frontRequests(s);

    const truth = s.sandbox.control.truth();
    const bySupport = latestById(support);
    const byRefund = latestById(tagged);
    expect([...byRefund.keys()].sort()).toEqual(truth.conversations.filter((c) => (c.tags ?? []).some((t) => t.name === 'refund')).map((c) => `front:${c.id}`).sort());
    for (const c of truth.conversations) {
      const vip = (c.tags ?? []).some((t) => t.name === 'vip');
      if (bySupport.has(`front:${c.id}`)) expect(bySupport.get(`front:${c.id}`)!.labels, c.id).toEqual(vip ? ['p1'] : []);
      if (byRefund.has(`front:${c.id}`)) expect(byRefund.get(`front:${c.id}`)!.labels, c.id).toEqual(c.status === 'archived' ? ['resolved'] : []);
    }
    const summary = JSON.parse(r.stdout);
    expect(summary.subscriptions.map((x: { name: string; delivered: number }) => [x.name, x.delivered])).toEqual([
      ['support', bySupport.size],
      ['refunds', byRefund.size],
    ]);
    // Exactly what each subscription gets on its own: same conversations (support: activity in the
    // Support inbox during the window), same versions (labels included).
    const versions = (r: Receiver) => [...latestById(r).values()].map((h) => `${h.id}@${h.version}`).sort();
    for (const [name, got] of [['support', support], ['refunds', tagged]] as const) {
      const alone = await receiver();
      const run = await s.cli(['backfill', '--since', '8d', '--subscription', name, '--to', alone.url, '--db', join(s.work.dir, `${name}-alone.db`)]);
      expect(run.code, run.stderr).toBe(0);
      expect(versions(got), name).toEqual(versions(alone));
    }
    const supportInbox = truth.inboxes.find((i) => i.name === 'Support')!.id;
    expect([...bySupport.keys()]).toEqual(expect.arrayContaining(truth.conversations.filter((c) => c.inbox_id === supportInbox).map((c) => `front:${c.id}`)));

    // The same pass for one subscription needing the same inboxes costs the same requests.
    s.sandbox.control.clearRequestLog();
    const sameLanes = await s.cli(['backfill', '--since', '8d', '--db', join(s.work.dir, 'lanes.db'), '--subscription', 'support', '--inbox', 'Support', '--inbox', 'Billing', '--inbox', 'Sales', '--inbox', 'VIP (private)', '--to', join(s.work.dir, 'lanes.ndjson')]);
    expect(sameLanes.code, sameLanes.stderr).toBe(0);
    const paths = (requests: string[]) => requests.map((r) => r.split('?')[0]).sort();
    expect(paths(frontRequests(s))).toEqual(paths(both));
  });
});

describe('per-destination delivery state', () => {
  it('switching --to delivers the whole window to the new destination', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 80, seed: 5 } }));
    const a = await s.cli(['backfill', '--since', '2d', '--until', '1d', '--to', 'a.ndjson']);
    expect(a.code, a.stderr).toBe(0);
    const first = ndjsonIds(join(s.work.dir, 'a.ndjson'));
    expect(first.size).toBeGreaterThan(0);
    const c = await s.cli(['backfill', '--since', '2d', '--until', '1d', '--to', 'c.ndjson']);
    expect(c.code, c.stderr).toBe(0);
    expect(ndjsonIds(join(s.work.dir, 'c.ndjson'))).toEqual(first);
    // And back to a: it already has all of it.
    const again = await s.cli(['backfill', '--since', '2d', '--until', '1d', '--to', 'a.ndjson', '--json']);
    expect(JSON.parse(again.stdout).counts.delivered).toBe(0);
    // The listing cannot date activity inside a window that ends before now: auto read the events
    // (above, though the stored state made the listing cheaper), and a forced listing says what it misses.
    const listed = await s.cli(['backfill', '--since', '2d', '--until', '1d', '--to', 'd.ndjson', '--strategy', 'listing']);
    expect(listed.stderr).toMatch(/--until with the listing strategy: a conversation active inside the window and again since .* is left out/);
  });

  it('replay sends every stored Highlight to a new receiver with zero Front requests', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 6 } }));
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(0);
    const fresh = await receiver();
    s.sandbox.control.clearRequestLog();
    const r = await s.cli(['replay', '--to', fresh.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 Front requests/);
    expect(s.sandbox.control.requestLog()).toHaveLength(0);
    const original = [...latestById(s.receiver).values()].map((h) => `${h.id}@${h.version}`).sort();
    expect(fresh.accepted().map((h) => `${h.id}@${h.version}`).sort()).toEqual(original);
  });

  it('a receiver that refuses every item, naming it: exit 7, status lists the refusals; once fixed, retry-refused delivers all', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 15, seed: 7 } }));
    const n = importable(s.sandbox.control.truth().conversations).length;
    // Each refusal names its item: the items are at fault (the same answer to every part would be
    // the endpoint's: test/reliability/odd-receivers.test.ts).
    s.receiver.behave({ poison: importable(s.sandbox.control.truth().conversations).map((c) => `front:${c.id}`) });
    const refused = await s.cli(['backfill', '--since', '8d']);
    expect(refused.code, refused.stderr).toBe(7);
    expect(refused.stderr).toContain(`${n} Highlight(s) refused`);
    let status = await statusOf(s);
    expect(status.subscriptions).toHaveLength(1);
    expect(status.subscriptions[0]).toMatchObject({ name: 'default', refused: n, pending: 0, delivered: 0 });
    expect(status.subscriptions[0].refusals[0].error).toMatch(/^highlight front:cnv_\S+ rejected: title too spicy$/);
    const human = await s.cli(['status']);
    expect(human.stdout).toMatch(/refused front:cnv_\S+ after 1 attempt: highlight front:cnv_\S+ rejected: title too spicy/);

    s.receiver.behave({ poison: [] });
    const retried = await s.cli(['retry-refused']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(new Set(s.receiver.accepted().map((h) => h.id)).size).toBe(n);
    status = await statusOf(s);
    expect(status.subscriptions[0]).toMatchObject({ refused: 0, pending: 0, delivered: n });
  });

  it('a refused item whose content later changes is sent again by itself', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 8 } }));
    const victim = s.sandbox.control.truth().conversations[0]!.id;
    s.receiver.behave({ poison: [`front:${victim}`] });
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(7);
    s.receiver.behave({ poison: [] });
    s.sandbox.control.tag(victim, 'fixed-upstream');
    const r = await s.cli(['sync']);
    expect(r.code, r.stderr).toBe(0);
    expect(latestById(s.receiver).get(`front:${victim}`)!.tags).toContain('fixed-upstream');
    expect((await statusOf(s)).subscriptions[0].refused).toBe(0);
  });
});

describe('state bound to a Front company', () => {
  it('another company is refused with exit 2 naming both and the way out, nothing changed', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 9 } }));
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(0);
    const before = await statusOf(s);
    const other = await startSandbox({ seed: 'another company', conversations: 5, windowMs: 1000 });
    try {
      const r = await s.cli(['sync'], { FRONT_API_URL: other.url, FRONT_API_TOKEN: other.tokens.full });
      expect(r.code).toBe(2);
      const ours = s.sandbox.control.truth().company;
      const theirs = other.control.truth().company;
      expect(r.stderr).toContain(ours.id);
      expect(r.stderr).toContain(theirs.id);
      expect(r.stderr).toMatch(/--state PATH\|URL or FRONT_IMPORT_STATE_URL/);
      expect(other.control.requestLog().map((e) => e.path)).toEqual(['/me']);
      const listen = await s.cli(['listen', '--port', '0', '--insecure-no-verify'], { FRONT_API_URL: other.url, FRONT_API_TOKEN: other.tokens.full });
      expect(listen.code, 'a listener on that state is refused the same way').toBe(2);
      expect(listen.stderr).toContain(theirs.id);
      const after = await statusOf(s);
      expect(after.runs).toEqual(before.runs);
      expect(after.subscriptions).toEqual(before.subscriptions.map((x) => ({ ...x, lagMs: expect.any(Number) })));
      expect(after.company).toEqual(before.company);
    } finally {
      await other.close();
    }
  });
});

describe('signed deliveries', () => {
  it('every POST verifies with the README snippet', async () => {
    const secret = 'whsec_e2e_5f0c1d';
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 10 }, destination: { signingSecret: secret, batchSize: 5 } }));
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code, r.stderr).toBe(0);
    const verify = await readmeVerifyDelivery();
    expect(s.receiver.raw.length).toBeGreaterThanOrEqual(4);
    for (const req of s.receiver.raw) expect(verify(secret, req.headers, req.body)).toBe(true);
    expect(verify('wrong', s.receiver.raw[0]!.headers, s.receiver.raw[0]!.body)).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});

describe('--to', () => {
  it('a host typed without its scheme exits 2 with the URL it probably meant, before any Front request', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10 } }));
    const r = await s.cli(['backfill', '--since', '2d', '--to', 'next.example.com/v1/highlights']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean https://next.example.com/v1/highlights?');
    expect(existsSync(join(s.work.dir, 'next.example.com'))).toBe(false);
    expect(s.sandbox.control.requestLog()).toHaveLength(0);
  });
});

describe('default state location', () => {
  it('is one state per Front URL, so the sandbox never touches the production default', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10 } }));
    const r = await s.cli(['backfill', '--since', '2d', '--to', 'out.ndjson'], { FRONT_IMPORT_DB: undefined });
    expect(r.code, r.stderr).toBe(0);
    const state = join(s.work.home, '.local', 'state', 'front-import');
    const port = new URL(s.sandbox.url).port;
    expect(existsSync(join(state, `127.0.0.1_${port}`, 'state.db'))).toBe(true);
    expect(existsSync(join(state, 'state.db'))).toBe(false);
  });
});

describe('a state file from before per-destination delivery', () => {
  it('is migrated and keeps working with its single destination: nothing sent again, a change sent once', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 11 } }));
    const n = importable(s.sandbox.control.truth().conversations).length;
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(0);
    expect(s.receiver.accepted()).toHaveLength(n);
    writeLegacyState(s.work.db, s.receiver.url, n);

    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 delivered/);
    expect(r.stdout).toMatch(/state from before per-destination delivery tracking now belongs to http:\/\/127\.0\.0\.1/);
    expect(s.receiver.accepted()).toHaveLength(n);
    const status = await statusOf(s);
    expect(status.subscriptions[0]).toMatchObject({ delivered: n, pending: 0, refused: 0 });
    expect(status.subscriptions[0].cursor).not.toBeNull();

    const changed = importable(s.sandbox.control.truth().conversations)[3]!.id;
    s.sandbox.control.tag(changed, 'after-upgrade');
    expect((await s.cli(['sync'])).code).toBe(0);
    expect(s.receiver.accepted().slice(n).map((h) => h.id)).toEqual([`front:${changed}`]);
  });
});

/**
 * Rewrites the state at `path` the way the single-destination store kept it (schema 3: delivery
 * columns on the conversation row, one `sync` cursor), from what the current store wrote for
 * `destinationUrl`: the file an upgrade finds.
 */
function writeLegacyState(path: string, destinationUrl: string, conversations: number): void {
  const current = new Database(path);
  const key = new URL(destinationUrl).toString();
  const rows = current
    .prepare(
      `SELECT c.conversation_id, 'front:' || c.conversation_id AS id, d.version, COALESCE(p.payload, c.payload) AS payload,
         CASE WHEN d.state = 1 THEN d.version ELSE d.delivered_version END AS delivered_version,
         CASE WHEN d.state = 2 THEN d.version END AS refused_version, d.last_error, d.attempts,
         json_extract(c.last_message, '$.id') AS last_message_id, c.last_message, c.front_updated_at, d.at AS first_seen_at, d.at AS updated_at, d.pending_seq
       FROM conversations c JOIN deliveries d USING (conversation_id) JOIN destinations k ON k.id = d.destination_id
       LEFT JOIN outbox_payloads p USING (destination_id, conversation_id) WHERE k.key = ?`,
    )
    .all(key) as Record<string, unknown>[];
  const cursor = current.prepare('SELECT value, updated_at FROM cursors WHERE name = ?').get(`sync@${key}`) as { value: number; updated_at: string };
  current.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  expect(rows).toHaveLength(conversations);

  const legacy = new Database(path);
  for (const step of MIGRATIONS.slice(0, 3)) step(legacy);
  legacy.pragma('user_version = 3');
  const insert = legacy.prepare(
    `INSERT INTO conversations (conversation_id, id, version, payload, delivered_version, failed_version, last_error, attempts,
       last_message_id, last_message, front_updated_at, first_seen_at, updated_at, pending_seq)
     VALUES (@conversation_id, @id, @version, @payload, @delivered_version, @refused_version, @last_error, @attempts,
       @last_message_id, @last_message, @front_updated_at, @first_seen_at, @updated_at, @pending_seq)`,
  );
  for (const row of rows) insert.run(row);
  legacy.prepare("INSERT INTO cursors (name, value, updated_at) VALUES ('sync', ?, ?)").run(cursor.value, cursor.updated_at);
  legacy.close();
}

describe('a subscription added later', () => {
  it('starts from the state when it covers its scope (no reach back into Front), else fetches its window and says so', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 12, rateLimit: false }, destination: null }));
    const [support, refunds, billing] = [await receiver(), await receiver(), await receiver()];
    const base = `${readFileSync(join(s.work.dir, '.frontsyncrc'), 'utf8')}subscriptions:\n`;
    const sub = (name: string, url: string, scope: string) => `  - name: ${name}\n    destination: {type: http, url: "${url}"}\n    scope: ${scope}\n`;
    s.work.config(base + sub('support', support.url, '{inboxes: [Support]}'));
    expect((await s.cli(['sync', '--since', '8d'])).code).toBe(0);

    const truth = s.sandbox.control.truth();
    const inbox = (name: string) => truth.inboxes.find((i) => i.name === name)!.id;
    const ids = (r: Receiver) => [...latestById(r).keys()].sort();
    const expected = (keep: (c: (typeof truth.conversations)[number]) => boolean) => truth.conversations.filter(keep).map((c) => `front:${c.id}`).sort();

    s.work.config(base + sub('support', support.url, '{inboxes: [Support]}') + sub('refunds', refunds.url, '{inboxes: [Support], tags: [refund]}'));
    s.sandbox.control.clearRequestLog();
    const fromState = await s.cli(['sync', '--since', '8d']);
    expect(fromState.code, fromState.stderr).toBe(0);
    expect(fromState.stdout).toMatch(/subscription refunds is new; the state already covers its scope: \d+ Highlight\(s\) since .* queued from it, no extra Front requests/);
    expect(ids(refunds)).toEqual(expected((c) => c.inbox_id === inbox('Support') && (c.tags ?? []).some((t) => t.name === 'refund')));
    const hourAgo = Date.now() / 1000 - 3600;
    const reachedBack = s.sandbox.control.requestLog().filter((e) => e.path === '/events' && Number(e.query['q[after]']) < hourAgo);
    expect(reachedBack, 'the sync reads from the cursor, not 8 days back').toEqual([]);

    s.work.config(base + sub('support', support.url, '{inboxes: [Support]}') + sub('refunds', refunds.url, '{inboxes: [Support], tags: [refund]}') + sub('billing', billing.url, '{inboxes: [Billing]}'));
    // Both runs on the events strategy: the listing sees only what is in Billing now, the event stream
    // also what moved out of it after activity there, and the cost-based choice may pick either.
    const widened = await s.cli(['sync', '--since', '8d', '--strategy', 'events']);
    expect(widened.code, widened.stderr).toBe(0);
    expect(widened.stdout).toMatch(/subscription billing is new and widens what the state covers: fetching its initial window \(since .*\) from Front/);
    // What billing alone on a fresh state gets (a conversation moved out of Billing after activity there counts too).
    const reference = await receiver();
    const alone = await s.cli(['sync', '--since', '8d', '--strategy', 'events', '--subscription', 'billing', '--to', reference.url, '--db', join(s.work.dir, 'alone.db')]);
    expect(alone.code, alone.stderr).toBe(0);
    expect(ids(billing)).toEqual(ids(reference));
    expect(ids(billing).length).toBeGreaterThan(0);
    expect(new Set(support.accepted().map((h) => `${h.id}@${h.version}`)).size, 'nothing sent twice to support').toBe(support.accepted().length);
  });
});

describe('on PostgreSQL state', () => {
  it('one pass for two subscriptions, refusals kept and retried, a replay without Front, another company refused', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 1, rateLimit: false }, destination: null }));
    const pgState = { FRONT_IMPORT_DB: undefined, FRONT_IMPORT_STATE_URL: await freshPgDatabase() };
    const [support, refunds] = [await receiver(), await receiver()];
    const sub = (name: string, url: string, scope: string) => `  - name: ${name}\n    destination: {type: http, url: "${url}", retryBaseMs: 10}\n    scope: ${scope}\n`;
    s.work.config(`${readFileSync(join(s.work.dir, '.frontsyncrc'), 'utf8')}subscriptions:\n${sub('support', support.url, '{inboxes: [Support]}')}${sub('refunds', refunds.url, '{tags: [refund]}')}`);
    const truth = s.sandbox.control.truth();
    const refundIds = truth.conversations.filter((c) => (c.tags ?? []).some((t) => t.name === 'refund')).map((c) => `front:${c.id}`).sort();
    // Every item refused by name (the items at fault, not the endpoint).
    refunds.behave({ poison: refundIds });
    const first = await s.cli(['backfill', '--since', '8d', '--json'], pgState);
    expect(first.code, first.stderr).toBe(7);
    expect(existsSync(join(s.work.dir, 'state.db'))).toBe(false);

    const supportInbox = truth.inboxes.find((i) => i.name === 'Support')!.id;
    const bySupport = latestById(support);
    expect([...bySupport.keys()]).toEqual(expect.arrayContaining(truth.conversations.filter((c) => c.inbox_id === supportInbox).map((c) => `front:${c.id}`)));
    expect(refunds.accepted()).toEqual([]);
    let status = JSON.parse((await s.cli(['status', '--json'], pgState)).stdout);
    expect(status.storeKind).toBe('postgres');
    expect(status.subscriptions.map((x: { name: string; delivered: number; refused: number }) => [x.name, x.delivered, x.refused])).toEqual([
      ['support', bySupport.size, 0],
      ['refunds', 0, refundIds.length],
    ]);

    refunds.behave({ poison: [] });
    s.sandbox.control.clearRequestLog();
    const retried = await s.cli(['retry-refused'], pgState);
    expect(retried.code, retried.stderr).toBe(0);
    expect([...latestById(refunds).keys()].sort()).toEqual(refundIds);
    status = JSON.parse((await s.cli(['status', '--json'], pgState)).stdout);
    expect(status.subscriptions[1]).toMatchObject({ name: 'refunds', delivered: refundIds.length, refused: 0, pending: 0 });

    const fresh = await receiver();
    const replayed = await s.cli(['replay', '--subscription', 'support', '--to', fresh.url], pgState);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(s.sandbox.control.requestLog(), 'retry-refused and replay ask Front nothing').toHaveLength(0);
    const versions = (r: Receiver) => [...latestById(r).values()].map((h) => `${h.id}@${h.version}`).sort();
    expect(versions(fresh)).toEqual(versions(support));

    const before = JSON.parse((await s.cli(['status', '--json'], pgState)).stdout);
    const other = await startSandbox({ seed: 'another company', conversations: 5, windowMs: 1000 });
    try {
      const refused = await s.cli(['sync'], { ...pgState, FRONT_API_URL: other.url, FRONT_API_TOKEN: other.tokens.full });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(other.control.truth().company.id);
      const after = JSON.parse((await s.cli(['status', '--json'], pgState)).stdout);
      expect(after.runs).toEqual(before.runs);
      expect(after.company).toEqual(before.company);
    } finally {
      await other.close();
    }
  });
});
