// state export / import: a state copied PostgreSQL -> file -> SQLite -> file -> PostgreSQL arrives
// whole (every table, every row, the order that matters), and still works as a state.

import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseStoreLocation, type StoreLocation } from '../../src/store/location.ts';
import { openPgStore } from '../../src/store/pg/pg-store.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/roles.ts';
import { exportState, importState } from '../../src/store/transfer/index.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { itemAt } from '../../src/shared/item-at.ts';
import { DESTINATION, highlight, item, manualClock, useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();

async function pgLocation(): Promise<Extract<StoreLocation, { kind: 'postgres' }>> {
  return parseStoreLocation(await freshPgDatabase(), 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>;
}

const OTHER = '/srv/teams/billing.ndjson';
/** A rule webhook's full event data, queued with its event. */
const FULL_EVENT = { conversation: { id: 'cnv_7', status: 'unassigned', tags: [], updated_at: 1_700_000_060 } as never, message: { id: 'msg_7', body: '<p>hi</p>' } as never };

/** A state with something in every table: delivered, pending, refused, an open batch, runs, a queue. */
async function fillState(store: Store, clock: ReturnType<typeof manualClock>): Promise<void> {
  for (let n = 1; n <= 5; n++) await store.upsert(item(n, 'a'));
  await store.outbox(DESTINATION).saveBatch({ key: 'batch-1', highlights: [highlight(1, 'a'), highlight(2, 'a')] });
  await store.outbox(DESTINATION).batchAccepted('batch-1', [{ id: 'front:cnv_1', version: 'a' }, { id: 'front:cnv_2', version: 'a' }]);
  await store.outbox(DESTINATION).saveBatch({ key: 'batch-2', highlights: [highlight(3, 'a')] });
  await store.outbox(DESTINATION).batchRefused('batch-2', { id: 'front:cnv_3', version: 'a' }, 'HTTP 422: title too long');
  await store.outbox(DESTINATION).saveBatch({ key: 'batch-open', highlights: [highlight(4, 'a')] });
  await store.outbox(DESTINATION).recordAttempt(['front:cnv_4'], 'HTTP 503');
  // A second destination's delivery state travels too.
  await store.outbox(OTHER).enqueue([highlight(1, 'a')], { resend: false });
  clock.advance(1000);
  await store.upsert(item(2, 'b', 1_700_000_100));
  await store.persistPages({
    runKey: 'backfill:1',
    messages: [{ conversationId: 'cnv_9', inbox: { id: 'inb_1', name: 'Support' }, message: { id: 'msg_9', created_at: 1_700_000_050 } as never }],
    items: [item(6, 'a')],
    imported: ['cnv_6'],
    checkpoint: { pageToken: 'p2', seen: 6 },
  });
  await store.commitRun({ clearCheckpoints: [], cursors: [{ name: 'sync', value: 1_700_000_000.5 }] });
  const run = await store.startRun('sync', { since: '1d' });
  await store.finishRun(run, { outcome: 'success', exitCode: 0, counts: { seen: 6 }, requests: { requests: 9 } });
  await store.startRun('backfill', {});
  for (const id of ['evt_1', 'evt_2']) await store.enqueueWebhookEvent({ eventId: id, type: 'inbound', conversationId: 'cnv_7' });
  await store.enqueueWebhookEvent({ eventId: 'evt_3', type: 'inbound', conversationId: 'cnv_7', emittedAt: 1_700_000_060.25, full: FULL_EVENT });
  await store.claimWebhookEvents({ owner: 'replica-a', limit: 3, leaseMs: 60_000, skip: [] });
  await store.markWebhookEventsProcessed(['evt_1']);
  await store.recordWebhookFailure(['evt_2'], 'Front 503');
  await store.recordWebhookRejected('bad signature');
  await store.setMeta('rateLimit', { limit: 100, remaining: 40 });
}

/** A new PostgreSQL state with something in every table (fillState). */
async function filledPgState(clock: ReturnType<typeof manualClock>): Promise<PgTarget> {
  const source = await pgLocation();
  const original = await openPgStore(source, { clock: clock.now });
  await fillState(original, clock);
  await original.close();
  return source;
}

type PgTarget = Extract<StoreLocation, { kind: 'postgres' }>;

/** Runs `work` on a connection to the state's schema. */
async function onPg<T>(location: PgTarget, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: location.url.split('?')[0] });
  await client.connect();
  try {
    await client.query(`SET search_path = ${location.schema}`);
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The state's indexes and triggers as the catalog has them, and the counters its triggers keep. */
function catalogAndCounters(location: PgTarget) {
  return onPg(location, async (client) => ({
    indexes: (
      await client.query(
        `SELECT c.relname, pg_get_indexdef(c.oid) AS def, x.indisvalid, x.indisready
         FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 ORDER BY c.relname`,
        [location.schema],
      )
    ).rows,
    triggers: (
      await client.query(
        `SELECT t.tgname, pg_get_triggerdef(t.oid) AS def, t.tgenabled
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY t.tgname`,
        [location.schema],
      )
    ).rows,
    destinations: (await client.query('SELECT key, highlights, pending, refused, last_delivery_at FROM destinations ORDER BY key')).rows,
    conversations: (await client.query('SELECT conversations FROM state_counts')).rows,
  }));
}

/** Exports the state to a new file; returns the file and its rows (the lines between header and trailer). */
async function exported(location: StoreLocation) {
  const file = join(tempDir(), 'state.jsonl');
  const counts = await exportState(location, file, { exportedAt: '2024-05-01T00:00:00.000Z' });
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return { file, counts, rows: lines.slice(1, -1).map((line) => JSON.parse(line) as { table: string; row: Record<string, unknown> }) };
}

/** What a SQLite state keeps beside its rows: schema (indexes, triggers), the trigger-kept counters, its journal mode, and the plans of queries on the growing tables. */
function sqliteShape(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join('; ');
    return {
      schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all(),
      destinations: db.prepare('SELECT * FROM destinations ORDER BY id').all(),
      stateCounts: db.prepare('SELECT * FROM state_counts').all(),
      journalMode: db.pragma('journal_mode', { simple: true }),
      plans: [
        plan('SELECT conversation_id FROM deliveries WHERE destination_id = 1 AND state = 0 ORDER BY pending_seq LIMIT 100'),
        plan('SELECT conversation_id FROM deliveries WHERE destination_id = 1 AND state = 2 ORDER BY at'),
        plan('SELECT conversation_id FROM conversations WHERE front_updated_at >= 0 ORDER BY front_updated_at'),
      ],
    };
  } finally {
    db.close();
  }
}

/** Runs one statement on the SQLite state at `path`, outside the store. */
function editSqlite(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

describe('state export / import', () => {
  it('carries every row from PostgreSQL to SQLite and back, and the copy works as the original', async () => {
    const clock = manualClock();
    const source = await filledPgState(clock);

    const fromPg = await exported(source);
    expect(fromPg.counts).toMatchObject({ conversations: 6, destinations: 2, deliveries: 7, outbox_payloads: 6, batches: 1, cursors: 1, checkpoints: 1, runs: 2, webhook_events: 3, listener_stats: 1, event_messages: 1 });

    const sqlite: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'copy.db'), isDefault: false };
    expect(await importState(sqlite, fromPg.file)).toEqual(fromPg.counts);
    const fromSqlite = await exported(sqlite);
    expect(fromSqlite.rows).toEqual(fromPg.rows);

    const back = await pgLocation();
    await importState(back, fromSqlite.file);
    expect((await exported(back)).rows).toEqual(fromPg.rows);

    const copy = await openPgStore(back, { clock: clock.now });
    try {
      expect((await copy.outbox(DESTINATION).pending(10)).map((h) => `${h.id}@${h.version}`)).toEqual(['front:cnv_5@a', 'front:cnv_2@b', 'front:cnv_6@a']);
      expect((await copy.outbox(DESTINATION).openBatches()).map((b) => b.key)).toEqual(['batch-open']);
      expect((await copy.totals()).failures).toEqual([{ id: 'front:cnv_3', version: 'a', error: 'HTTP 422: title too long', attempts: 1, refusedAt: '2024-05-01T10:00:00.000Z' }]);
      expect((await copy.getCursor('sync'))?.value).toBe(1_700_000_000.5);
      expect(await copy.getCheckpoint('backfill:1')).toEqual({ pageToken: 'p2', seen: 6 });
      expect((await copy.queuedWebhookEvents(10)).map((e) => [e.eventId, e.attempts, e.emittedAt, e.full])).toEqual([
        ['evt_2', 1, null, null],
        ['evt_3', 0, 1_700_000_060.25, FULL_EVENT],
      ]);
      expect(await copy.enqueueWebhookEvent({ eventId: 'evt_3', type: 'inbound', conversationId: 'cnv_7' })).toBe(false);
      // The source's listener claims stay behind: the copy's own listeners take its queue at once.
      expect((await copy.claimWebhookEvents({ owner: 'replica-b', limit: 10, leaseMs: 60_000, skip: [] })).map((e) => e.eventId)).toEqual(['evt_2', 'evt_3']);
      // New rows continue after the copied ones: a new item is pending last, a new run gets the next id.
      await copy.upsert(item(7, 'a'));
      expect((await copy.outbox(DESTINATION).pending(10)).at(-1)?.id).toBe('front:cnv_7');
      expect(await copy.startRun('sync', {})).toBe(3);
    } finally {
      await copy.close();
    }
  });

  it('loads more rows than one INSERT takes, and rows of one table with different columns, as they are, into either backend', async () => {
    const clock = manualClock();
    const source: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'many.db'), isDefault: false };
    const store = openStore(source.path, { clock: clock.now });
    // About 400 KB of conversation rows: more than one statement's worth in either backend.
    for (let n = 1; n <= 300; n++) {
      const one = item(n, 'a', 1_700_000_000 + n / 4);
      const h = { ...one.highlight, title: `${n} `.repeat(400) };
      await store.upsert({ ...one, highlight: h, deliveries: [{ destination: DESTINATION, highlight: h }] });
    }
    await store.close();
    const whole = await exported(source);
    // Some conversation rows leave out a column (as a hand-edited or older file may): it takes its default there only.
    const cut = (id: string) => /^cnv_(6\d|7)$/.test(id);
    const text = readFileSync(whole.file, 'utf8')
      .split('\n')
      .map((line) => {
        const id = /^\{"table":"conversations","row":\{"conversation_id":"([^"]+)"/.exec(line)?.[1];
        return id && cut(id) ? line.replace(/,"facts":("(?:[^"\\]|\\.)*"|null)/, '') : line;
      })
      .join('\n');
    const edited = join(tempDir(), 'edited.jsonl');
    writeFileSync(edited, text);
    const targets: (() => Promise<StoreLocation>)[] = [async () => ({ kind: 'sqlite', path: join(tempDir(), 'target.db'), isDefault: false }), pgLocation];
    for (const target of targets) {
      const copied = await target();
      expect((await importState(copied, whole.file)).conversations).toBe(300);
      expect((await exported(copied)).rows).toEqual(whole.rows);
    }
    const sqlite = await itemAt(targets, 0)();
    await importState(sqlite, edited);
    expect((await exported(sqlite)).rows).toEqual(whole.rows.map((r) => (r.table === 'conversations' && cut(String(r.row.conversation_id)) ? { ...r, row: { ...r.row, facts: null } } : r)));
  });

  it('exports from PostgreSQL tables of more rows than one fetch brings (2,000), each row once and in order, as SQLite exports them', async () => {
    const source: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'big.db'), isDefault: false };
    const store = openStore(source.path);
    // Exactly two fetches' worth of conversations and of delivery rows (the next fetch finds none), and more messages.
    const items = Array.from({ length: 4_000 }, (_, i) => item(i + 1, 'a'));
    const messages = Array.from({ length: 2_345 }, (_, i) => ({ conversationId: `cnv_${i + 1}`, inbox: null, message: { id: `msg_x${i}`, created_at: 1_700_000_000 } as never }));
    await store.persistPages({ runKey: 'backfill', messages, items, imported: [], checkpoint: undefined });
    await store.close();
    const whole = await exported(source);
    const copy = await pgLocation();
    expect((await importState(copy, whole.file)).conversations).toBe(4_000);
    const back = await exported(copy);
    expect(back.counts).toMatchObject({ conversations: 4_000 });
    expect(back.rows).toEqual(whole.rows);
  });

  // The import loads without the counting triggers and counts once at the end (store/sqlite/migrations.ts RECOUNT).
  it('gives a SQLite state the counters, indexes, triggers and query plans of the original', async () => {
    const clock = manualClock();
    const source: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'source.db'), isDefault: false };
    const original = openStore(source.path, { clock: clock.now });
    await fillState(original, clock);
    await original.close();
    // A last delivery later than any delivered row (that row went since; the delete trigger keeps the time) still counts.
    editSqlite(source.path, "UPDATE destinations SET last_delivery_at = '2030-01-01T00:00:00.000Z' WHERE key = ?", DESTINATION);
    const copy: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'copy.db'), isDefault: false };
    await importState(copy, (await exported(source)).file);

    const shape = sqliteShape(copy.path);
    expect(shape).toEqual(sqliteShape(source.path));
    expect(shape.destinations).toMatchObject([
      { key: DESTINATION, highlights: 6, pending: 4, refused: 1, last_delivery_at: '2030-01-01T00:00:00.000Z' },
      { key: OTHER, highlights: 1, pending: 1, refused: 0, last_delivery_at: null },
    ]);
    expect(shape.stateCounts).toEqual([{ only_row: 1, conversations: 6 }]);
    expect(shape.plans).toEqual([expect.stringMatching(/deliveries_pending/), expect.stringMatching(/deliveries_refused/), expect.stringMatching(/conversations_by_time/)]);
    expect(shape.schema.filter((o) => (o as { type: string }).type === 'trigger')).toHaveLength(5);
    // The triggers count on from there, in the copy as in the original.
    for (const path of [source.path, copy.path]) {
      const store = openStore(path, { clock: clock.now });
      await store.upsert(item(7, 'a'));
      await store.outbox(DESTINATION).batchRefused('batch-open', { id: 'front:cnv_4', version: 'a' }, 'HTTP 422');
      await store.close();
    }
    expect(sqliteShape(copy.path)).toEqual(sqliteShape(source.path));
  });

  it('refuses an export with a row twice into SQLite and loads none of it; the state keeps its triggers', async () => {
    const clock = manualClock();
    const source: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'source.db'), isDefault: false };
    const store = openStore(source.path, { clock: clock.now });
    for (let n = 1; n <= 3; n++) await store.upsert(item(n, 'a'));
    await store.close();
    const lines = readFileSync((await exported(source)).file, 'utf8').trim().split('\n');
    const rows = lines.length - 2;
    const twice = join(tempDir(), 'twice.jsonl');
    writeFileSync(twice, `${[...lines.slice(0, 3), itemAt(lines, 2), ...lines.slice(3, -1), `{"end":true,"rows":${rows + 1}}`].join('\n')}\n`);
    const target: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'target.db'), isDefault: false };
    await (await openStore(target.path)).close();
    const empty = sqliteShape(target.path);
    await expect(importState(target, twice)).rejects.toThrow(/UNIQUE constraint failed: conversations.conversation_id/);
    expect((await exported(target)).rows.filter((r) => r.table !== 'listener_stats')).toEqual([]);
    expect(sqliteShape(target.path)).toEqual(empty);
    expect(await importState(target, (await exported(source)).file)).toMatchObject({ conversations: 3, deliveries: 3 });
    expect(sqliteShape(target.path)).toEqual(sqliteShape(source.path));
  });

  it('imports into PostgreSQL with its indexes, triggers and counters as the migrations made them, or rolls back to them', async () => {
    const clock = manualClock();
    const source = await filledPgState(clock);
    const before = await catalogAndCounters(source);
    expect(before.indexes.map((i) => i.relname)).toContain('deliveries_pending');
    expect(before.triggers.map((t) => t.tgname)).toContain('deliveries_counted_insert');
    expect(before.destinations.map((d) => Number(d.highlights))).toEqual([1, 6]);
    const whole = await exported(source);

    // A cut-off file fails after its rows went in: the import rolls back to the empty, migrated state.
    const target = await pgLocation();
    await (await openPgStore(target, { clock: clock.now })).close();
    const empty = await catalogAndCounters(target);
    const cut = join(tempDir(), 'cut.jsonl');
    writeFileSync(cut, `${readFileSync(whole.file, 'utf8').trim().split('\n').slice(0, -1).join('\n')}\n`);
    await expect(importState(target, cut)).rejects.toThrow(/the end marker is missing/);
    expect(await catalogAndCounters(target)).toEqual(empty);
    expect(empty.indexes).toEqual(before.indexes);
    expect(empty.triggers).toEqual(before.triggers);

    await importState(target, whole.file);
    expect(await catalogAndCounters(target)).toEqual(before);
    await onPg(target, async (client) => {
      // The rebuilt indexes serve the queries they are there for (sequential scans priced out, as in pg-plans.test.ts).
      await client.query('SET enable_seqscan = off');
      const plan = async (sql: string) => (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(await plan('SELECT conversation_id FROM deliveries WHERE destination_id = 1 AND state = 0 ORDER BY pending_seq LIMIT 10')).toMatch(/Index Scan using deliveries_pending/);
      expect(await plan('SELECT conversation_id FROM conversations WHERE front_updated_at >= 1700000000 ORDER BY front_updated_at LIMIT 10')).toMatch(/Index Scan using conversations_by_time/);
      // Planner statistics of what was loaded, not of the empty tables: a settle is planned for the rows there are.
      const analyzed = await client.query<{ relname: string }>(
        `SELECT relname FROM pg_stat_user_tables WHERE schemaname = $1 AND last_analyze IS NOT NULL AND relname IN ('conversations', 'deliveries', 'destinations') ORDER BY relname`,
        [target.schema],
      );
      expect(analyzed.rows.map((r) => r.relname)).toEqual(['conversations', 'deliveries', 'destinations']);
    });
    // The triggers are back: new rows are counted.
    const copy = await openPgStore(target, { clock: clock.now });
    try {
      await copy.upsert(item(7, 'a'));
    } finally {
      await copy.close();
    }
    const after = await catalogAndCounters(target);
    expect(after.conversations).toEqual([{ conversations: String(Number(itemAt(before.conversations, 0).conversations) + 1) }]);
    expect(after.destinations.map((d) => Number(d.highlights))).toEqual([1, 7]);
  });

  it('refuses to import into a state that is not empty, leaving it as it was', async () => {
    const clock = manualClock();
    const target = await pgLocation();
    const store = await openPgStore(target, { clock: clock.now });
    await store.upsert(item(1, 'a'));
    await store.close();
    const before = await exported(target);
    const other = await exported(await pgLocation());
    await expect(importState(target, other.file)).rejects.toThrow(/is not empty \(conversations has 1 rows\): import into a new state/);
    expect((await exported(target)).rows).toEqual(before.rows);
  });

  it('refuses a cut-off export file and loads none of it', async () => {
    const clock = manualClock();
    const source: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'source.db'), isDefault: false };
    const store = await openStore(source.path, { clock: clock.now });
    for (let n = 1; n <= 3; n++) await store.upsert(item(n, 'a'));
    await store.close();
    const whole = await exported(source);
    const cut = join(tempDir(), 'cut.jsonl');
    writeFileSync(cut, `${readFileSync(whole.file, 'utf8').split('\n').slice(0, 3).join('\n')}\n`);
    const target: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'target.db'), isDefault: false };
    await expect(importState(target, cut)).rejects.toThrow(/not a complete front-import state export \(the end marker is missing/);
    expect((await exported(target)).rows.filter((r) => r.table !== 'listener_stats')).toEqual([]);
  });

  it('refuses an export of an older format, naming what to do', async () => {
    const file = join(tempDir(), 'old.jsonl');
    writeFileSync(file, '{"format":"front-import-state","version":1}\n{"end":true,"rows":0}\n');
    const target: StoreLocation = { kind: 'sqlite', path: join(tempDir(), 'target.db'), isDefault: false };
    await expect(importState(target, file)).rejects.toThrow(/written by an older front-import \(format v1\): import it with that version, then export again/);
  });
});
