// Schema versions of a PostgreSQL state, kept in schema_info. MIGRATIONS[i] takes a state from
// version i to i + 1; never edit a shipped migration, append a new one. The tables match the
// SQLite store's (src/store/migrations.ts) so `state export` / `state import` carry every row.
// Times are ISO strings from the store's injected clock, as in SQLite; Highlights are kept as the
// exact JSON text that is sent (jsonb would reorder their keys).

import type pg from 'pg';
import { StoreError } from '../../errors.js';
import { itemAt } from '../../shared/item-at.js';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    conversation_id   text PRIMARY KEY,
    id                text NOT NULL UNIQUE,
    version           text NOT NULL,
    payload           text NOT NULL,
    delivered_version text,
    failed_version    text,
    last_error        text,
    attempts          integer NOT NULL DEFAULT 0,
    last_message_id   text,
    last_message      text,
    front_updated_at  double precision,
    first_seen_at     text NOT NULL,
    updated_at        text NOT NULL,
    pending_seq       bigint NOT NULL
  );
  CREATE SEQUENCE conversations_pending_seq;
  CREATE INDEX conversations_seq ON conversations (pending_seq);
  CREATE INDEX conversations_pending ON conversations (pending_seq)
    WHERE version IS DISTINCT FROM delivered_version AND version IS DISTINCT FROM failed_version;

  CREATE TABLE batches (
    seq        bigserial,
    key        text PRIMARY KEY,
    highlights text NOT NULL,
    item_ids   text[] NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    created_at text NOT NULL
  );

  CREATE TABLE cursors (name text PRIMARY KEY, value double precision NOT NULL, updated_at text NOT NULL);
  CREATE TABLE checkpoints (key text PRIMARY KEY, value text NOT NULL, updated_at text NOT NULL);
  CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

  CREATE TABLE runs (
    id         bigserial PRIMARY KEY,
    command    text NOT NULL,
    args       text NOT NULL,
    started_at text NOT NULL,
    ended_at   text,
    outcome    text,
    exit_code  integer,
    error      text,
    counts     text NOT NULL DEFAULT '{}',
    requests   text NOT NULL DEFAULT '{}'
  );
  CREATE INDEX runs_by_outcome ON runs (command, outcome, id);

  -- Who holds each advisory lock, for the "busy" message and the takeover warning.
  CREATE TABLE locks (
    name        text PRIMARY KEY,
    pid         integer NOT NULL,
    hostname    text NOT NULL,
    command     text NOT NULL,
    acquired_at text NOT NULL
  );

  CREATE TABLE webhook_events (
    seq             bigserial,
    event_id        text PRIMARY KEY,
    type            text NOT NULL,
    conversation_id text,
    received_at     text NOT NULL,
    processed_at    text,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text
  );
  CREATE INDEX webhook_events_queued ON webhook_events (received_at, seq) WHERE processed_at IS NULL;

  CREATE TABLE listener_stats (
    only_row           integer PRIMARY KEY CHECK (only_row = 1),
    received           integer NOT NULL DEFAULT 0,
    rejected           integer NOT NULL DEFAULT 0,
    last_reject_reason text,
    last_received_at   text,
    last_processed_at  text
  );
  INSERT INTO listener_stats (only_row) VALUES (1);

  CREATE TABLE event_messages (
    run_key            text NOT NULL,
    conversation_id    text NOT NULL,
    inbox              text,
    message            text NOT NULL,
    message_created_at double precision NOT NULL,
    PRIMARY KEY (run_key, conversation_id)
  );
  `,
  // Delivery state per destination, as SQLite's v4: one deliveries row per (destination,
  // conversation); batches belong to a destination (their unread attempt count is gone);
  // conversations keep what Front said plus the facts scope and routing need. An older state's
  // deliveries wait under destination '' until the first destination that runs claims them.
  `
  CREATE TABLE deliveries (
    destination       text NOT NULL,
    conversation_id   text NOT NULL,
    id                text NOT NULL,
    version           text NOT NULL,
    payload           text NOT NULL,
    delivered_version text,
    refused_version   text,
    last_error        text,
    attempts          integer NOT NULL DEFAULT 0,
    pending_seq       bigint NOT NULL,
    delivered_at      text,
    refused_at        text,
    updated_at        text NOT NULL,
    PRIMARY KEY (destination, conversation_id)
  );
  INSERT INTO deliveries (destination, conversation_id, id, version, payload, delivered_version, refused_version,
      last_error, attempts, pending_seq, refused_at, updated_at)
    SELECT '', conversation_id, id, version, payload, delivered_version, failed_version,
      last_error, attempts, pending_seq, CASE WHEN failed_version IS NULL THEN NULL ELSE updated_at END, updated_at
    FROM conversations;
  ALTER SEQUENCE conversations_pending_seq RENAME TO deliveries_pending_seq;
  CREATE INDEX deliveries_seq ON deliveries (pending_seq);
  -- Batches settle items by Highlight id: without it every delivered item scans the table.
  CREATE INDEX deliveries_id ON deliveries (destination, id);
  CREATE INDEX deliveries_pending ON deliveries (destination, pending_seq)
    WHERE version IS DISTINCT FROM delivered_version AND version IS DISTINCT FROM refused_version;

  ALTER TABLE batches ADD COLUMN destination text NOT NULL DEFAULT '';
  ALTER TABLE batches ALTER COLUMN destination DROP DEFAULT;
  ALTER TABLE batches DROP CONSTRAINT batches_pkey;
  ALTER TABLE batches ADD PRIMARY KEY (destination, key);
  ALTER TABLE batches DROP COLUMN attempts;

  DROP INDEX conversations_pending;
  DROP INDEX conversations_seq;
  ALTER TABLE conversations DROP COLUMN delivered_version, DROP COLUMN failed_version, DROP COLUMN last_error,
    DROP COLUMN attempts, DROP COLUMN pending_seq;
  ALTER TABLE conversations ADD COLUMN facts text;
  CREATE INDEX conversations_by_time ON conversations (front_updated_at);
  `,
  // What a webhook body said beyond ids: when the event happened (to skip events the stored state
  // already covers) and a rule webhook's full event data (imported without a request).
  `
  ALTER TABLE webhook_events ADD COLUMN emitted_at double precision;
  ALTER TABLE webhook_events ADD COLUMN full_event text;
  `,
  // Claims on queued events, so listener replicas share the queue: who holds an event and until when
  // (ISO time on the store's clock); a replica that died loses its claims when they expire.
  `
  ALTER TABLE webhook_events ADD COLUMN claimed_by text;
  ALTER TABLE webhook_events ADD COLUMN claim_expires_at text;
  -- A claim skips conversations another replica holds: found by index, not a scan per event.
  CREATE INDEX webhook_events_open_conversation ON webhook_events (conversation_id) WHERE processed_at IS NULL;
  `,
  // The compact state, as SQLite's v7 (see there): a delivery row keeps destination (numbered in
  // `destinations`, which holds the counters `status` reads), conversation, version, state (0 pending,
  // 1 delivered, 2 refused) and when; the Highlight only while it is to be sent. The conversation row
  // loses id, last_message_id, first_seen_at, updated_at and the payload keys every Highlight has by
  // construction. Counters are kept by statement-level triggers (one update per statement and
  // destination, whatever the number of rows).
  `
  CREATE TABLE destinations (
    id               serial PRIMARY KEY,
    key              text NOT NULL UNIQUE,
    highlights       bigint NOT NULL DEFAULT 0,
    pending          bigint NOT NULL DEFAULT 0,
    refused          bigint NOT NULL DEFAULT 0,
    last_delivery_at text
  );
  INSERT INTO destinations (key) SELECT DISTINCT destination FROM deliveries ORDER BY destination;

  CREATE TABLE deliveries_v5 (
    destination_id  integer NOT NULL,
    conversation_id text NOT NULL,
    version         text NOT NULL,
    state           smallint NOT NULL,
    at              text NOT NULL,
    pending_seq     bigint NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    delivered_version text,
    CONSTRAINT deliveries_v5_key PRIMARY KEY (destination_id, conversation_id)
  );
  -- The Highlight to send, while a row is pending or refused: delivery rows stay small.
  CREATE TABLE outbox_payloads (
    destination_id  integer NOT NULL,
    conversation_id text NOT NULL,
    payload         text NOT NULL,
    PRIMARY KEY (destination_id, conversation_id)
  );
  INSERT INTO outbox_payloads (destination_id, conversation_id, payload)
    SELECT dest.id, d.conversation_id, d.payload FROM deliveries d JOIN destinations dest ON dest.key = d.destination
    WHERE d.version IS DISTINCT FROM d.delivered_version;
  INSERT INTO deliveries_v5 (destination_id, conversation_id, version, state, at, pending_seq, attempts, last_error, delivered_version)
    SELECT dest.id, d.conversation_id, d.version,
      CASE WHEN d.version = d.delivered_version THEN 1 WHEN d.version = d.refused_version THEN 2 ELSE 0 END,
      CASE WHEN d.version = d.delivered_version THEN COALESCE(d.delivered_at, d.updated_at)
           WHEN d.version = d.refused_version THEN COALESCE(d.refused_at, d.updated_at) ELSE d.updated_at END,
      d.pending_seq, d.attempts, d.last_error, CASE WHEN d.version = d.delivered_version THEN NULL ELSE d.delivered_version END
    FROM deliveries d JOIN destinations dest ON dest.key = d.destination;
  UPDATE destinations SET
    highlights = (SELECT count(*) FROM deliveries_v5 WHERE destination_id = destinations.id),
    pending = (SELECT count(*) FROM deliveries_v5 WHERE destination_id = destinations.id AND state = 0),
    refused = (SELECT count(*) FROM deliveries_v5 WHERE destination_id = destinations.id AND state = 2),
    last_delivery_at = (SELECT max(delivered_at) FROM deliveries WHERE destination = destinations.key);
  DROP TABLE deliveries;
  ALTER TABLE deliveries_v5 RENAME TO deliveries;
  ALTER TABLE deliveries RENAME CONSTRAINT deliveries_v5_key TO deliveries_pkey;
  CREATE INDEX deliveries_pending ON deliveries (destination_id, pending_seq) WHERE state = 0;
  CREATE INDEX deliveries_refused ON deliveries (destination_id, at) WHERE state = 2;

  CREATE FUNCTION count_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- Counter rows locked in one order (by id), so two writers touching several destinations never deadlock.
    IF TG_OP = 'INSERT' THEN
      PERFORM 1 FROM destinations WHERE id IN (SELECT destination_id FROM new_rows) ORDER BY id FOR UPDATE;
    ELSIF TG_OP = 'DELETE' THEN
      PERFORM 1 FROM destinations WHERE id IN (SELECT destination_id FROM old_rows) ORDER BY id FOR UPDATE;
    ELSE
      PERFORM 1 FROM destinations WHERE id IN (SELECT destination_id FROM new_rows UNION SELECT destination_id FROM old_rows) ORDER BY id FOR UPDATE;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      UPDATE destinations d SET highlights = d.highlights - o.n, pending = d.pending - o.pending, refused = d.refused - o.refused
      FROM (SELECT destination_id, count(*) AS n, count(*) FILTER (WHERE state = 0) AS pending, count(*) FILTER (WHERE state = 2) AS refused
            FROM old_rows GROUP BY destination_id) o
      WHERE d.id = o.destination_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      UPDATE destinations d SET highlights = d.highlights + n.n, pending = d.pending + n.pending, refused = d.refused + n.refused,
        last_delivery_at = GREATEST(d.last_delivery_at, n.last)
      FROM (SELECT destination_id, count(*) AS n, count(*) FILTER (WHERE state = 0) AS pending, count(*) FILTER (WHERE state = 2) AS refused,
              max(at) FILTER (WHERE state = 1) AS last
            FROM new_rows GROUP BY destination_id) n
      WHERE d.id = n.destination_id;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER deliveries_counted_insert AFTER INSERT ON deliveries REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_deliveries();
  CREATE TRIGGER deliveries_counted_update AFTER UPDATE ON deliveries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_deliveries();
  CREATE TRIGGER deliveries_counted_delete AFTER DELETE ON deliveries REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_deliveries();

  ALTER TABLE conversations DROP COLUMN id, DROP COLUMN last_message_id, DROP COLUMN first_seen_at, DROP COLUMN updated_at;
  UPDATE conversations SET payload = (payload::jsonb - 'id' - 'version' - 'schemaVersion' - 'source' - 'conversationId' - 'sourceUrl' - 'labels')::text
    WHERE payload::jsonb ->> 'sourceUrl' = 'https://app.frontapp.com/open/' || conversation_id
      AND payload::jsonb -> 'labels' = '[]'::jsonb AND payload::jsonb ->> 'id' = 'front:' || conversation_id
      AND payload::jsonb -> 'schemaVersion' = '2'::jsonb;
  -- Stored conversations are read in byte order of their id (COLLATE "C", as SQLite compares): an index in that order.
  CREATE INDEX conversations_by_id_bytes ON conversations (conversation_id COLLATE "C");
  CREATE TABLE state_counts (only_row integer PRIMARY KEY CHECK (only_row = 1), conversations bigint NOT NULL);
  INSERT INTO state_counts (only_row, conversations) VALUES (1, (SELECT count(*) FROM conversations));
  CREATE FUNCTION count_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE n bigint;
  BEGIN
    -- No update (and no lock on the counter row) for a statement that inserted nothing.
    IF TG_OP = 'INSERT' THEN n := (SELECT count(*) FROM new_rows); ELSE n := -(SELECT count(*) FROM old_rows); END IF;
    IF n <> 0 THEN UPDATE state_counts SET conversations = conversations + n; END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER conversations_counted_insert AFTER INSERT ON conversations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_conversations();
  CREATE TRIGGER conversations_counted_delete AFTER DELETE ON conversations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_conversations();
  `,
];

/** Marks a schema as ours, so another program's tables are never migrated into a state. */
const APPLICATION = 'front-import';
/** Serialises migrations of one database: two first runs at once must not both create the tables. */
const MIGRATION_LOCK = 0x46524d47;

export interface SchemaFound {
  version: number;
  /** Tables in the schema; a schema with tables but no schema_info belongs to someone else. Null: not counted, the schema is ours. */
  tables: number | null;
  application: string | null;
}

/**
 * Brings the state's schema up to MIGRATIONS.length in one transaction: a failed step leaves it as
 * it was, and a schema from a newer front-import is refused before anything is written. `found`:
 * what the caller's own `inspect` on this connection just read, so it is not asked twice.
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  where: string,
  migrations: readonly string[] = MIGRATIONS,
  found?: SchemaFound,
): Promise<number> {
  const known = migrations.length;
  const first = found ?? (await inspect(client, schema));
  refuse(first, known, where);
  if (first.version === known) return known;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    // Look again under the lock: another process may have migrated since.
    const locked = await inspect(client, schema, { inTransaction: true });
    refuse(locked, known, where);
    if (locked.version < known) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_info (
        only_row integer PRIMARY KEY CHECK (only_row = 1), application text NOT NULL, version integer NOT NULL)`);
      for (const step of migrations.slice(locked.version)) await client.query(step);
      await client.query(
        `INSERT INTO schema_info (only_row, application, version) VALUES (1, $1, $2)
         ON CONFLICT (only_row) DO UPDATE SET version = excluded.version`,
        [APPLICATION, known],
      );
    }
    await client.query('COMMIT');
    return known;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * What the schema holds. Every command on a state starts here, so a state of ours is recognised by
 * reading its schema_info at once (a cheap query; information_schema's views took about 10 ms on a
 * new connection); only a schema without it is counted table by table. Inside a transaction
 * (`migrate` under its lock) that first read is left out: a missing table would abort it.
 */
export async function inspect(client: pg.ClientBase, schema: string, opts: { inTransaction?: boolean } = {}): Promise<SchemaFound> {
  if (!opts.inTransaction) {
    const ours = await readSchemaInfo(client).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === UNDEFINED_TABLE) return undefined;
      throw err;
    });
    if (ours?.application === APPLICATION) return { version: ours.version, tables: null, application: APPLICATION };
  }
  const tables = await client.query<{ n: number; has_info: boolean }>(
    `SELECT count(*)::int AS n, bool_or(c.relname = 'schema_info') AS has_info
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
     WHERE s.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'f')`,
    [schema],
  );
  const { n, has_info: hasInfo } = itemAt(tables.rows, 0);
  if (!hasInfo) return { version: 0, tables: n, application: null };
  const row = await readSchemaInfo(client);
  return { version: row?.version ?? 0, tables: n, application: row?.application ?? null };
}

/** PostgreSQL's code for a table that does not exist (here: no schema_info, or no schema at all). */
const UNDEFINED_TABLE = '42P01';

async function readSchemaInfo(client: pg.ClientBase): Promise<{ application: string; version: number } | undefined> {
  // Unqualified: every connection's search_path is the state's schema (connection.ts).
  return (await client.query<{ application: string; version: number }>('SELECT application, version FROM schema_info')).rows[0];
}

function refuse(found: SchemaFound, known: number, where: string): void {
  if (found.application !== APPLICATION && (found.tables ?? 0) > 0) {
    throw new StoreError(`${where}: schema holds tables of another program; use another database or ?schema= in the URL`);
  }
  if (found.version > known) {
    throw new StoreError(
      `${where} was written by a newer front-import (schema v${found.version}, this version knows v${known}): upgrade front-import or use another state`,
    );
  }
}
