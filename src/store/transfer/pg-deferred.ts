// What `state import` sets aside while it fills an empty PostgreSQL state: the secondary indexes
// over every row and the counter triggers. Each such index is built once from the loaded rows (one
// sort) instead of taking every row on its own, and the counters come from what the import counted
// as the rows went by (DeliveryTally) instead of from a trigger per chunk or a scan of the loaded
// tables. Definitions are read from the catalog as the migrations left them, so what comes back is
// what was there; it all happens in the import's transaction, so a failed import rolls back to the
// empty state with its indexes and triggers.

import type pg from 'pg';
import { DELIVERY_STATE } from '../rows.js';
import type { Row, StateTableName } from './tables.js';

/** A destination's counters as the delivery triggers would have kept them from an empty state. */
interface DeliveryCounts {
  highlights: number;
  pending: number;
  refused: number;
  /** When the latest delivered row got its state (an ISO time), or null. */
  lastDeliveryAt: string | null;
}

/**
 * What the loaded delivery rows add to the destinations' counters and the pending sequence, counted
 * as they go by: at a million conversations each figure read back from the table cost a scan of its
 * four million rows (the counters 0.6 s, the pending sequence's maximum 0.3 s).
 */
export class DeliveryTally {
  maxPendingSeq = 0;
  readonly destinations = new Map<number, DeliveryCounts>();

  add(table: StateTableName, row: Row): void {
    if (table !== 'deliveries') return;
    const id = Number(row.destination_id);
    let counts = this.destinations.get(id);
    if (!counts) {
      counts = { highlights: 0, pending: 0, refused: 0, lastDeliveryAt: null };
      this.destinations.set(id, counts);
    }
    counts.highlights++;
    const state = Number(row.state);
    if (state === DELIVERY_STATE.pending) counts.pending++;
    else if (state === DELIVERY_STATE.refused) counts.refused++;
    else if (state === DELIVERY_STATE.delivered && typeof row.at === 'string' && (counts.lastDeliveryAt === null || row.at > counts.lastDeliveryAt)) counts.lastDeliveryAt = row.at;
    this.maxPendingSeq = Math.max(this.maxPendingSeq, Number(row.pending_seq));
  }
}

/** What the load added: the conversations (the import's own count of rows) and the delivery rows' tally. */
export interface Loaded {
  conversations: number;
  deliveries: DeliveryTally;
}

/**
 * The counter triggers set aside, by trigger function, and how each counter is set from what was
 * loaded instead. A trigger with another function stays and fires as rows arrive.
 */
const COUNTERS: Record<string, (client: pg.Client, loaded: Loaded) => Promise<unknown>> = {
  count_conversations: (client, loaded) => client.query('UPDATE state_counts SET conversations = conversations + $1', [loaded.conversations]),
  count_deliveries: (client, { deliveries }) => {
    const ids = [...deliveries.destinations.keys()];
    const counts = [...deliveries.destinations.values()];
    return client.query(
      `UPDATE destinations d SET highlights = d.highlights + n.n, pending = d.pending + n.pending, refused = d.refused + n.refused,
         last_delivery_at = GREATEST(d.last_delivery_at, n.last)
       FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[]) AS n(destination_id, n, pending, refused, last)
       WHERE d.id = n.destination_id`,
      [ids, counts.map((c) => c.highlights), counts.map((c) => c.pending), counts.map((c) => c.refused), counts.map((c) => c.lastDeliveryAt)],
    );
  },
};

/**
 * Drops the schema's secondary indexes over every row (not those behind a primary key or unique
 * constraint: they refuse duplicate rows as they arrive; nor partial ones, which hold the few
 * pending or refused rows: a row outside costs a check as it arrives, while building one afterwards
 * reads the whole table) and its counter triggers; the returned function sets the counters from what
 * was loaded and puts indexes and triggers back. Call both inside one transaction.
 */
export async function setAsideForLoad(client: pg.Client, schema: string): Promise<(loaded: Loaded) => Promise<void>> {
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(i.relname) AS name, pg_get_indexdef(i.oid) AS def
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
     WHERE n.nspname = $1 AND x.indpred IS NULL AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
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
