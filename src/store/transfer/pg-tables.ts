// Reads and writes a whole PostgreSQL state for `state export` / `state import`, below the Store
// roles, as a stream of rows (a cursor out, chunks in), so memory stays flat. Rows go in a column at a
// time as text arrays, each column cast to its type as the table has it, so one statement per chunk
// loads any table.

import { setImmediate } from 'node:timers/promises';
import type pg from 'pg';
import { StoreError } from '../../errors.js';
import { openPgConnection, type PgLocation } from '../pg/connection.js';
import { toPgStoreError } from '../pg/errors.js';
import { migrate } from '../pg/migrations.js';
import { DeliveryTally, setAsideForLoad } from './pg-deferred.js';
import { binaryTextArray, textArrayLiteral } from './pg-text-array.js';
import { emptyCounts } from './dump-file.js';
import { carriedColumns, STATE_TABLES, orderColumn, unknownTables, type Row, type StateTableName, type TableCounts, type TableRow } from './tables.js';
import { awaitedLater } from '../../shared/awaited-later.js';
import { itemAt } from '../../shared/item-at.js';

const INT8_OID = 20;
const CHUNK_ROWS = 2000;
/** Rows read between turns of the event loop while a chunk is in flight. */
const YIELD_ROWS = 256;

export async function* pgRows(location: PgLocation): AsyncGenerator<TableRow> {
  const client = await connect(location);
  try {
    // One snapshot for every table: a consistent copy even while a sync writes.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const table of STATE_TABLES) {
      const order = orderColumn(table, 'postgres');
      const cols = await columnsOf(client, location.schema, table.name);
      await client.query(`DECLARE state_rows NO SCROLL CURSOR FOR SELECT ${cols.join(', ')} FROM ${table.name}${order ? ` ORDER BY ${order}` : ''}`);
      // The next chunk is asked for before this one is handed out, so the server reads it while
      // the file is written: 100,000 conversations in 4.7-5.9 s instead of 5.4-7.1.
      const fetchChunk = () => awaitedLater(client.query<Row>(`FETCH ${CHUNK_ROWS} FROM state_rows`));
      for (let next = fetchChunk(); ; ) {
        const { rows } = await next;
        const more = rows.length === CHUNK_ROWS;
        if (more) next = fetchChunk();
        for (const row of rows) yield { table: table.name, row };
        if (!more) break;
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

/**
 * Loads rows into an empty PostgreSQL state, in one transaction; returns rows per table. The
 * secondary indexes and counter triggers are set aside meanwhile (pg-deferred.ts), and one chunk is
 * at the server while the next is read, so reading the file and inserting overlap.
 */
export async function loadPg(location: PgLocation, rows: Iterable<TableRow>): Promise<TableCounts> {
  const client = await connect(location);
  const counts = emptyCounts();
  try {
    await client.query('BEGIN');
    // A chunk's INSERT is planned once with its arrays as parameters: a plan made for each chunk's
    // values copied their megabytes three times (folded into constants, then copied with the plan),
    // a quarter of the server's time (backend CPU on 100,000 conversations: 4.1 s instead of 5.7 to 7).
    await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    await requireEmpty(client, location.display);
    const restore = await setAsideForLoad(client, location.schema);
    const deliveries = new DeliveryTally();
    const statements = new Map<string, string>();
    let chunk: Row[] = [];
    let table: StateTableName | null = null;
    let inFlight: Promise<void> = Promise.resolve();
    let sinceYield = 0;
    const flush = async () => {
      if (table && chunk.length > 0) {
        await inFlight;
        // Awaited before the next chunk is sent, or at the end.
        inFlight = awaitedLater(insertChunk(client, location, statements, table, chunk));
      }
      chunk = [];
    };
    for (const entry of rows) {
      if (entry.table !== table || chunk.length >= CHUNK_ROWS) {
        await flush();
        if (entry.table !== table && entry.table === 'listener_stats') {
          await inFlight;
          await client.query('DELETE FROM listener_stats');
        }
        table = entry.table;
      }
      chunk.push(entry.row);
      counts[entry.table]++;
      deliveries.add(entry.table, entry.row);
      // The file is read synchronously: a turn of the event loop now and then lets the driver write
      // out the chunk in flight, so the server has all of it while the next one is read.
      if (++sinceYield >= YIELD_ROWS) {
        sinceYield = 0;
        await setImmediate();
      }
    }
    await flush();
    await inFlight;
    await restore({ conversations: counts.conversations, deliveries });
    // Sequences continue after the copied rows: new pending items, runs and destinations come after them.
    await client.query(`SELECT setval('deliveries_pending_seq', $1, false)`, [deliveries.maxPendingSeq + 1]);
    await client.query(`SELECT setval(pg_get_serial_sequence('runs', 'id'), COALESCE((SELECT max(id) FROM runs), 0) + 1, false)`);
    await client.query(`SELECT setval(pg_get_serial_sequence('destinations', 'id'), COALESCE((SELECT max(id) FROM destinations), 0) + 1, false)`);
    // Planner statistics for what was just loaded, as autovacuum would gather them later: without
    // them a settle's join on (destination, conversation) is planned for a few thousand rows and
    // hashes every row of the destination for each batch (a replay of 100,000 conversations right
    // after an import: 26 s instead of 11).
    await client.query(`ANALYZE ${STATE_TABLES.map((t) => t.name).join(', ')}`);
    await client.query('COMMIT');
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw toPgStoreError(err, location.display);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Each table's columns and their types, as the target state has them, and those an export carries. */
const targetColumns = new Map<string, { types: Map<string, string>; carried: Set<string> }>();

/** Inserts rows as one binary text[] per column (pg-text-array.ts), by a statement prepared once per table and columns (`statements`: SQL to name). */
async function insertChunk(client: pg.Client, location: PgLocation, statements: Map<string, string>, name: StateTableName, rows: Row[]): Promise<void> {
  const cols = Object.keys(itemAt(rows, 0));
  const key = `${location.display}:${name}`;
  let target = targetColumns.get(key);
  if (!target) {
    const types = await columnTypes(client, location.schema, name);
    target = { types, carried: new Set(carriedColumns(name, [...types.keys()])) };
    targetColumns.set(key, target);
  }
  const { types, carried } = target;
  const missing = cols.filter((c) => !carried.has(c));
  if (missing.length > 0) throw new StoreError(`PostgreSQL state ${location.display} has no column ${missing.join(', ')} in ${name}: upgrade front-import`);
  const columns = cols.map((col) => binaryTextArray(rows.map((row) => textOf(row[col]))));
  const withDerived = [...cols];
  if (name === 'batches') {
    withDerived.push('item_ids');
    columns.push(binaryTextArray(rows.map((row) => textArrayLiteral(batchItemIds(row)))));
  }
  // Each column's text goes through its type's input, as a JSON value did before.
  const values = withDerived.map((col, i) => `unnest($${i + 1}::text[])::${types.get(col)}`);
  const text = `INSERT INTO ${name} (${withDerived.join(', ')}) SELECT ${values.join(', ')}`;
  let statement = statements.get(text);
  if (!statement) {
    statement = `state_load_${statements.size + 1}`;
    statements.set(text, statement);
  }
  await client.query({ name: statement, text, values: columns });
}

/** A value of an export row as its column's text input (a number as JSON writes it). */
function textOf(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A table's columns in their order, each with its type, as the state has them. */
async function columnTypes(client: pg.Client, schema: string, table: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [schema, table],
  );
  return new Map(rows.map((r) => [r.name, r.type]));
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
  return carriedColumns(table, [...(await columnTypes(client, schema, table)).keys()]);
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
