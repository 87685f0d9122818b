// Reads and writes a whole PostgreSQL state for `state export` / `state import`, below the Store
// roles, as a stream of rows (a cursor out, chunks in), so memory stays flat. Rows go in as JSON and
// are typed by the table itself (jsonb_populate_recordset), so one statement per chunk loads any table.

import type pg from 'pg';
import { StoreError } from '../../errors.js';
import { openPgConnection, type PgLocation } from '../pg/connection.js';
import { toPgStoreError } from '../pg/errors.js';
import { migrate } from '../pg/migrations.js';
import { emptyCounts } from './dump-file.js';
import { carriedColumns, STATE_TABLES, orderColumn, unknownTables, type Row, type StateTableName, type TableCounts, type TableRow } from './tables.js';
import { itemAt } from '../../shared/item-at.js';

const INT8_OID = 20;
const CHUNK_ROWS = 2000;

export async function* pgRows(location: PgLocation): AsyncGenerator<TableRow> {
  const client = await connect(location);
  try {
    // One snapshot for every table: a consistent copy even while a sync writes.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const table of STATE_TABLES) {
      const order = orderColumn(table, 'postgres');
      const cols = await columnsOf(client, location.schema, table.name);
      await client.query(`DECLARE state_rows NO SCROLL CURSOR FOR SELECT ${cols.join(', ')} FROM ${table.name}${order ? ` ORDER BY ${order}` : ''}`);
      for (;;) {
        const { rows } = await client.query<Row>(`FETCH ${CHUNK_ROWS} FROM state_rows`);
        for (const row of rows) yield { table: table.name, row };
        if (rows.length < CHUNK_ROWS) break;
      }
      await client.query('CLOSE state_rows');
    }
    await client.query('COMMIT');
  } catch (err) {
    throw toPgStoreError(err, location.display);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Loads rows into an empty PostgreSQL state, in one transaction; returns rows per table. */
export async function loadPg(location: PgLocation, rows: Iterable<TableRow>): Promise<TableCounts> {
  const client = await connect(location);
  const counts = emptyCounts();
  try {
    await client.query('BEGIN');
    await requireEmpty(client, location.display);
    let chunk: Row[] = [];
    let table: StateTableName | null = null;
    const flush = async () => {
      if (table && chunk.length > 0) await insertChunk(client, location, table, chunk);
      chunk = [];
    };
    for (const entry of rows) {
      if (entry.table !== table || chunk.length >= CHUNK_ROWS) {
        await flush();
        if (entry.table !== table && entry.table === 'listener_stats') await client.query('DELETE FROM listener_stats');
        table = entry.table;
      }
      chunk.push(entry.row);
      counts[entry.table]++;
    }
    await flush();
    // Sequences continue after the copied rows: new pending items, runs and destinations come after them.
    await client.query(`SELECT setval('deliveries_pending_seq', COALESCE((SELECT max(pending_seq) FROM deliveries), 0) + 1, false)`);
    await client.query(`SELECT setval(pg_get_serial_sequence('runs', 'id'), COALESCE((SELECT max(id) FROM runs), 0) + 1, false)`);
    await client.query(`SELECT setval(pg_get_serial_sequence('destinations', 'id'), COALESCE((SELECT max(id) FROM destinations), 0) + 1, false)`);
    await client.query('COMMIT');
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw toPgStoreError(err, location.display);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const targetColumns = new Map<string, Set<string>>();

async function insertChunk(client: pg.Client, location: PgLocation, name: StateTableName, rows: Row[]): Promise<void> {
  const cols = Object.keys(itemAt(rows, 0));
  const key = `${location.display}:${name}`;
  let target = targetColumns.get(key);
  if (!target) {
    target = new Set(await columnsOf(client, location.schema, name));
    targetColumns.set(key, target);
  }
  const missing = cols.filter((c) => !target.has(c));
  if (missing.length > 0) throw new StoreError(`PostgreSQL state ${location.display} has no column ${missing.join(', ')} in ${name}: upgrade front-import`);
  const withDerived = name === 'batches' ? [...cols, 'item_ids'] : cols;
  const values = name === 'batches' ? rows.map((row) => ({ ...row, item_ids: batchItemIds(row) })) : rows;
  await client.query(
    `INSERT INTO ${name} (${withDerived.join(', ')}) SELECT ${withDerived.join(', ')} FROM jsonb_populate_recordset(NULL::${name}, $1::jsonb)`,
    [JSON.stringify(values)],
  );
}

async function connect(location: PgLocation): Promise<pg.Client> {
  let client: pg.Client | undefined;
  try {
    client = (await openPgConnection(location)).client;
    // Row ids and sequence numbers come back as numbers, as SQLite gives them.
    client.setTypeParser(INT8_OID, (text: string) => Number(text));
    await migrate(client, location.schema, `PostgreSQL state ${location.display}`);
    const found = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [location.schema]);
    const unknown = unknownTables(found.rows.map((r) => r.table_name));
    if (unknown.length > 0) throw new StoreError(`PostgreSQL state ${location.display} has tables this front-import cannot copy (${unknown.join(', ')}): upgrade front-import`);
    return client;
  } catch (err) {
    await client?.end().catch(() => undefined);
    throw toPgStoreError(err, location.display);
  }
}

async function columnsOf(client: pg.Client, schema: string, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, table],
  );
  return carriedColumns(table, rows.map((r) => r.column_name));
}

function batchItemIds(row: Row): string[] {
  const highlights = JSON.parse(String(row.highlights)) as { id?: unknown }[];
  return highlights.flatMap((h) => (typeof h.id === 'string' ? [h.id] : []));
}

async function requireEmpty(client: pg.Client, display: string): Promise<void> {
  for (const table of STATE_TABLES) {
    if (table.name === 'listener_stats') continue;
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table.name}`);
    const { n } = itemAt(rows, 0);
    if (n > 0) throw new StoreError(`PostgreSQL state ${display} is not empty (${table.name} has ${n} rows): import into a new state`);
  }
}
