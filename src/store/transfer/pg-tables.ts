// Reads and writes a whole PostgreSQL state for `state export` / `state import`, below the Store
// roles. Rows go in as JSON and are typed by the table itself (jsonb_populate_recordset), so one
// statement per chunk loads any table.

import pg from 'pg';
import { StoreError } from '../../errors.js';
import { openPgConnection, type PgLocation } from '../pg/connection.js';
import { toPgStoreError } from '../pg/errors.js';
import { migrate } from '../pg/migrations.js';
import { carriedColumns, STATE_TABLES, orderColumn, unknownTables, type Row, type StateDump } from './tables.js';

const INT8_OID = 20;
const CHUNK_ROWS = 1000;

export async function dumpPg(location: PgLocation): Promise<StateDump> {
  return withState(location, async (client) => {
    // One snapshot for every table: a consistent copy even while a sync writes.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const tables: StateDump['tables'] = [];
      for (const table of STATE_TABLES) {
        const order = orderColumn(table, 'postgres');
        const cols = await columnsOf(client, location.schema, table.name);
        const { rows } = await client.query<Row>(`SELECT ${cols.join(', ')} FROM ${table.name}${order ? ` ORDER BY ${order}` : ''}`);
        tables.push({ name: table.name, rows });
      }
      return { tables };
    } finally {
      await client.query('COMMIT');
    }
  });
}

/** Loads a dump into an empty PostgreSQL state, in one transaction. */
export async function loadPg(location: PgLocation, dump: StateDump): Promise<void> {
  await withState(location, async (client) => {
    await client.query('BEGIN');
    try {
      await requireEmpty(client, location.display);
      for (const { name, rows } of dump.tables) {
        if (rows.length === 0) continue;
        if (name === 'listener_stats') await client.query('DELETE FROM listener_stats');
        const cols = Object.keys(rows[0]!);
        const target = new Set(await columnsOf(client, location.schema, name));
        const missing = cols.filter((c) => !target.has(c));
        if (missing.length > 0) throw new StoreError(`PostgreSQL state ${location.display} has no column ${missing.join(', ')} in ${name}: upgrade front-import`);
        const withDerived = name === 'batches' ? [...cols, 'item_ids'] : cols;
        for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
          const chunk = rows.slice(i, i + CHUNK_ROWS).map((row) => (name === 'batches' ? { ...row, item_ids: batchItemIds(row) } : row));
          await client.query(
            `INSERT INTO ${name} (${withDerived.join(', ')}) SELECT ${withDerived.join(', ')} FROM jsonb_populate_recordset(NULL::${name}, $1::jsonb)`,
            [JSON.stringify(chunk)],
          );
        }
      }
      // Sequences continue after the copied rows: new pending items and runs sort after them.
      await client.query(`SELECT setval('deliveries_pending_seq', COALESCE((SELECT max(pending_seq) FROM deliveries), 0) + 1, false)`);
      await client.query(`SELECT setval(pg_get_serial_sequence('runs', 'id'), COALESCE((SELECT max(id) FROM runs), 0) + 1, false)`);
      await client.query(`SELECT setval(pg_get_serial_sequence('destinations', 'id'), COALESCE((SELECT max(id) FROM destinations), 0) + 1, false)`);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

async function withState<T>(location: PgLocation, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client | undefined;
  try {
    client = (await openPgConnection(location)).client;
    // Row ids and sequence numbers come back as numbers, as SQLite gives them.
    client.setTypeParser(INT8_OID, (text: string) => Number(text));
    await migrate(client, location.schema, `PostgreSQL state ${location.display}`);
    const found = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [location.schema]);
    const unknown = unknownTables(found.rows.map((r) => r.table_name));
    if (unknown.length > 0) throw new StoreError(`PostgreSQL state ${location.display} has tables this front-import cannot copy (${unknown.join(', ')}): upgrade front-import`);
    return await fn(client);
  } catch (err) {
    throw toPgStoreError(err, location.display);
  } finally {
    await client?.end().catch(() => undefined);
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
    if (rows[0]!.n > 0) throw new StoreError(`PostgreSQL state ${display} is not empty (${table.name} has ${rows[0]!.n} rows): import into a new state`);
  }
}
