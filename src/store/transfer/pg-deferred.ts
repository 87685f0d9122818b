// What `state import` sets aside while it fills an empty PostgreSQL state: the secondary indexes
// and the counter triggers. Each index is built once from the loaded rows (one sort) instead of
// taking every row on its own, and each counter is computed once over its table instead of by a
// trigger per chunk. Their definitions are read from the catalog as the migrations left them, so
// what comes back is what was there; it all happens in the import's transaction, so a failed
// import rolls back to the empty state with its indexes and triggers.

import type pg from 'pg';

/**
 * The counter triggers set aside, by trigger function, and how each counter is computed over the
 * loaded rows instead, as the triggers would have kept it from an empty state. A trigger with
 * another function stays and fires as rows arrive.
 */
const COUNTERS: Record<string, (client: pg.Client, loaded: { conversations: number }) => Promise<unknown>> = {
  count_conversations: (client, loaded) => client.query('UPDATE state_counts SET conversations = conversations + $1', [loaded.conversations]),
  count_deliveries: (client) =>
    client.query(`UPDATE destinations d SET highlights = d.highlights + n.n, pending = d.pending + n.pending, refused = d.refused + n.refused,
        last_delivery_at = GREATEST(d.last_delivery_at, n.last)
      FROM (SELECT destination_id, count(*) AS n, count(*) FILTER (WHERE state = 0) AS pending, count(*) FILTER (WHERE state = 2) AS refused,
              max(at) FILTER (WHERE state = 1) AS last
            FROM deliveries GROUP BY destination_id) n
      WHERE d.id = n.destination_id`),
};

/**
 * Drops the schema's secondary indexes (not those behind a primary key or unique constraint: they
 * refuse duplicate rows as they arrive) and its counter triggers; the returned function computes the
 * counters and puts indexes and triggers back. Call both inside one transaction.
 */
export async function setAsideForLoad(client: pg.Client, schema: string): Promise<(loaded: { conversations: number }) => Promise<void>> {
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname) AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
     WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
     ORDER BY i.relname`,
    [schema],
  );
  const triggers = await client.query<{ name: string; on: string; def: string; fn: string }>(
    `SELECT quote_ident(t.tgname) AS name, t.tgrelid::regclass::text AS on, pg_get_triggerdef(t.oid) AS def, p.proname AS fn
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE n.nspname = $1 AND NOT t.tgisinternal AND p.proname = ANY($2::text[])
     ORDER BY t.tgname`,
    [schema, Object.keys(COUNTERS)],
  );
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
  for (const trigger of triggers.rows) await client.query(`DROP TRIGGER ${trigger.name} ON ${trigger.on}`);
  return async (loaded) => {
    for (const fn of new Set(triggers.rows.map((t) => t.fn))) await COUNTERS[fn]?.(client, loaded);
    for (const index of indexes.rows) await client.query(index.def);
    for (const trigger of triggers.rows) await client.query(trigger.def);
  };
}
