// What `state export` / `state import` carry: every table of a state, row by row, in an order that
// keeps what order means (pending order, batch order, queue order, run ids). Both backends have
// the same tables and columns; a backend's own helper columns (PostgreSQL's seq and batches.item_ids)
// are rebuilt on import, never carried.

/** Tables in load order, each with the column that orders its rows. */
export const STATE_TABLES = [
  { name: 'conversations', order: 'conversation_id' },
  { name: 'destinations', order: 'id' },
  { name: 'deliveries', order: 'pending_seq' },
  { name: 'outbox_payloads', order: 'destination_id, conversation_id' },
  { name: 'batches', order: { sqlite: 'rowid', postgres: 'seq' } },
  { name: 'cursors', order: 'name' },
  { name: 'checkpoints', order: 'key' },
  { name: 'meta', order: 'key' },
  { name: 'runs', order: 'id' },
  { name: 'webhook_events', order: { sqlite: 'rowid', postgres: 'seq' } },
  { name: 'listener_stats', order: null },
  { name: 'event_messages', order: null },
] as const satisfies readonly { name: string; order: string | null | { sqlite: string; postgres: string } }[];

export type StateTableName = (typeof STATE_TABLES)[number]['name'];

/**
 * Columns left out of a dump: those one backend keeps for itself (derived on import), and the
 * webhook queue's claims, which belong to live listeners of the source state as its locks do (a
 * copied claim would hold events for a replica that is not there until its lease ran out).
 */
const NOT_CARRIED_COLUMNS: Record<string, readonly string[]> = {
  batches: ['seq', 'item_ids'],
  // Counters the importing state's triggers keep from the delivery rows as they arrive.
  destinations: ['highlights', 'pending', 'refused'],
  webhook_events: ['seq', 'claimed_by', 'claim_expires_at'],
};

/** A table's columns that a dump carries, of those a backend has. */
export function carriedColumns(table: string, columns: readonly string[]): string[] {
  const skip = new Set(NOT_CARRIED_COLUMNS[table] ?? []);
  return columns.filter((c) => !skip.has(c));
}

/**
 * Never part of a dump: a backend's own schema version, the conversation counter (kept by the
 * importing state's triggers), and the locks, which belong to live
 * processes of the source state (a lock copied to another state would name a run that is not there).
 */
export const NOT_CARRIED = new Set(['schema_info', 'locks', 'lock', 'state_counts']);

export type Row = Record<string, string | number | null>;

/** One row of a state as an export carries it; a state is read and written as a stream of them, tables in STATE_TABLES order. */
export interface TableRow {
  table: StateTableName;
  row: Row;
}

/** Rows per table. */
export type TableCounts = Record<StateTableName, number>;

export function orderColumn(table: (typeof STATE_TABLES)[number], backend: 'sqlite' | 'postgres'): string | null {
  const order = table.order;
  return order === null || typeof order === 'string' ? order : order[backend];
}

/** A table of the source that this version cannot carry: refused instead of silently dropped. */
export function unknownTables(found: readonly string[]): string[] {
  const known = new Set<string>(STATE_TABLES.map((t) => t.name));
  return found.filter((name) => !known.has(name) && !NOT_CARRIED.has(name) && !name.startsWith('sqlite_'));
}
