// Schema versions, tracked in PRAGMA user_version. migrations[i] takes a store from version i to
// i + 1; never edit a shipped migration, append a new one.

import type Database from 'better-sqlite3';
import { newerSchema } from './store-errors.js';

export type Migration = (db: Database.Database) => void;

/** "FRIM": marks a SQLite file as ours, so another program's database is never migrated into one. */
export const APPLICATION_ID = 0x4652494d;

/**
 * Keeps each destination's counters (destinations.highlights, pending, refused, last_delivery_at)
 * as its delivery rows change. Named `deliveries_counted_*`.
 */
const COUNTING_TRIGGERS = `
    CREATE TRIGGER deliveries_counted_insert AFTER INSERT ON deliveries BEGIN
      UPDATE destinations SET highlights = highlights + 1, pending = pending + (NEW.state = 0), refused = refused + (NEW.state = 2),
        last_delivery_at = CASE WHEN NEW.state = 1 AND (last_delivery_at IS NULL OR NEW.at > last_delivery_at) THEN NEW.at ELSE last_delivery_at END
      WHERE id = NEW.destination_id;
    END;
    CREATE TRIGGER deliveries_counted_update AFTER UPDATE OF destination_id, state, at ON deliveries BEGIN
      UPDATE destinations SET highlights = highlights - 1, pending = pending - (OLD.state = 0), refused = refused - (OLD.state = 2)
      WHERE id = OLD.destination_id;
      UPDATE destinations SET highlights = highlights + 1, pending = pending + (NEW.state = 0), refused = refused + (NEW.state = 2),
        last_delivery_at = CASE WHEN NEW.state = 1 AND (last_delivery_at IS NULL OR NEW.at > last_delivery_at) THEN NEW.at ELSE last_delivery_at END
      WHERE id = NEW.destination_id;
    END;
    CREATE TRIGGER deliveries_counted_delete AFTER DELETE ON deliveries BEGIN
      UPDATE destinations SET highlights = highlights - 1, pending = pending - (OLD.state = 0), refused = refused - (OLD.state = 2)
      WHERE id = OLD.destination_id;
    END;`;

/** Keeps state_counts.conversations as conversations come and go. */
const CONVERSATION_TRIGGERS = `
    CREATE TRIGGER conversations_counted_insert AFTER INSERT ON conversations BEGIN
      UPDATE state_counts SET conversations = conversations + 1;
    END;
    CREATE TRIGGER conversations_counted_delete AFTER DELETE ON conversations BEGIN
      UPDATE state_counts SET conversations = conversations - 1;
    END;`;

/** The names of the triggers above (a GLOB pattern): what RECOUNT stands in for. */
export const COUNTING_TRIGGERS_GLOB = '*_counted_*';

/**
 * What the triggers above make of the rows loaded into an empty state (counters at 0), counted in
 * one pass: a state import drops them, loads the rows, runs this and creates them again. A
 * destination's last_delivery_at as loaded stays unless a loaded delivered row is later, as the
 * insert trigger has it. Kept beside the triggers, so that a change to them changes this too.
 */
export const RECOUNT = `
    UPDATE destinations SET highlights = d.highlights, pending = d.pending, refused = d.refused,
      last_delivery_at = CASE WHEN last_delivery_at IS NULL OR d.last > last_delivery_at THEN d.last ELSE last_delivery_at END
    FROM (SELECT destination_id, count(*) AS highlights, sum(state = 0) AS pending, sum(state = 2) AS refused, max(CASE WHEN state = 1 THEN at END) AS last
          FROM deliveries GROUP BY destination_id) AS d
    WHERE destinations.id = d.destination_id;
    UPDATE state_counts SET conversations = (SELECT count(*) FROM conversations);`;

const v1: Migration = (db) => {
  db.exec(`
    CREATE TABLE conversations (
      conversation_id   TEXT PRIMARY KEY,
      id                TEXT NOT NULL UNIQUE,
      version           TEXT NOT NULL,
      payload           TEXT NOT NULL,
      delivered_version TEXT,
      failed_version    TEXT,
      last_error        TEXT,
      attempts          INTEGER NOT NULL DEFAULT 0,
      last_message_id   TEXT,
      last_message      TEXT,
      front_updated_at  REAL,
      first_seen_at     TEXT NOT NULL,
      updated_at        TEXT NOT NULL,
      pending_seq       INTEGER NOT NULL
    );
    CREATE INDEX conversations_seq ON conversations (pending_seq);
    CREATE INDEX conversations_pending ON conversations (pending_seq)
      WHERE version IS NOT delivered_version AND version IS NOT failed_version;

    CREATE TABLE batches (
      key        TEXT PRIMARY KEY,
      highlights TEXT NOT NULL,
      attempts   INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL
    );

    CREATE TABLE cursors (name TEXT PRIMARY KEY, value REAL NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE checkpoints (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE runs (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      command    TEXT NOT NULL,
      args       TEXT NOT NULL,
      started_at TEXT NOT NULL,
      ended_at   TEXT,
      outcome    TEXT,
      exit_code  INTEGER,
      error      TEXT,
      counts     TEXT NOT NULL DEFAULT '{}',
      requests   TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX runs_by_outcome ON runs (command, outcome, id);

    CREATE TABLE lock (
      only_row    INTEGER PRIMARY KEY CHECK (only_row = 1),
      pid         INTEGER NOT NULL,
      hostname    TEXT NOT NULL,
      command     TEXT NOT NULL,
      acquired_at TEXT NOT NULL
    );

    CREATE TABLE webhook_events (
      event_id        TEXT PRIMARY KEY,
      type            TEXT NOT NULL,
      conversation_id TEXT,
      received_at     TEXT NOT NULL,
      processed_at    TEXT,
      attempts        INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT
    );
    CREATE INDEX webhook_events_queued ON webhook_events (received_at) WHERE processed_at IS NULL;

    CREATE TABLE listener_stats (
      only_row           INTEGER PRIMARY KEY CHECK (only_row = 1),
      received           INTEGER NOT NULL DEFAULT 0,
      rejected           INTEGER NOT NULL DEFAULT 0,
      last_reject_reason TEXT,
      last_received_at   TEXT,
      last_processed_at  TEXT
    );
    INSERT INTO listener_stats (only_row) VALUES (1);
  `);
  db.pragma(`application_id = ${APPLICATION_ID}`);
};

// The event stream's messages waiting for the conversation listing of the same run (events strategy).
const v2: Migration = (db) => {
  db.exec(`
    CREATE TABLE event_messages (
      run_key            TEXT NOT NULL,
      conversation_id    TEXT NOT NULL,
      inbox              TEXT,
      message            TEXT NOT NULL,
      message_created_at REAL NOT NULL,
      PRIMARY KEY (run_key, conversation_id)
    );
  `);
};

// Named locks (an import lock and a delivery lock) instead of one; a held lock keeps its holder.
const v3: Migration = (db) => {
  db.exec(`
    CREATE TABLE locks (
      name        TEXT PRIMARY KEY,
      pid         INTEGER NOT NULL,
      hostname    TEXT NOT NULL,
      command     TEXT NOT NULL,
      acquired_at TEXT NOT NULL
    );
    INSERT INTO locks (name, pid, hostname, command, acquired_at)
      SELECT 'import', pid, hostname, command, acquired_at FROM lock;
    DROP TABLE lock;
  `);
};

// Delivery state per destination: one row per (destination, conversation) with its own payload
// (labels are the subscription's), delivered and refused versions, attempts and last refusal.
// Batches belong to a destination (their attempt count, which nothing read, is gone). The
// conversation row keeps what Front said (the Highlight mapped without labels, plus the facts scope
// and routing need). The single-destination state of an older file goes to destination '' until
// the first destination that runs claims it (Deliveries.claimLegacyDeliveries).
const v4: Migration = (db) => {
  db.exec(`
    CREATE TABLE deliveries (
      destination       TEXT NOT NULL,
      conversation_id   TEXT NOT NULL,
      id                TEXT NOT NULL,
      version           TEXT NOT NULL,
      payload           TEXT NOT NULL,
      delivered_version TEXT,
      refused_version   TEXT,
      last_error        TEXT,
      attempts          INTEGER NOT NULL DEFAULT 0,
      pending_seq       INTEGER NOT NULL,
      delivered_at      TEXT,
      refused_at        TEXT,
      updated_at        TEXT NOT NULL,
      PRIMARY KEY (destination, conversation_id)
    );
    INSERT INTO deliveries (destination, conversation_id, id, version, payload, delivered_version, refused_version,
        last_error, attempts, pending_seq, refused_at, updated_at)
      SELECT '', conversation_id, id, version, payload, delivered_version, failed_version,
        last_error, attempts, pending_seq, CASE WHEN failed_version IS NULL THEN NULL ELSE updated_at END, updated_at
      FROM conversations;
    CREATE INDEX deliveries_seq ON deliveries (pending_seq);
    -- Batches settle items by Highlight id: without it every delivered item scans the table.
    CREATE INDEX deliveries_id ON deliveries (destination, id);
    CREATE INDEX deliveries_pending ON deliveries (destination, pending_seq)
      WHERE version IS NOT delivered_version AND version IS NOT refused_version;

    CREATE TABLE batches_v4 (
      destination TEXT NOT NULL,
      key         TEXT NOT NULL,
      highlights  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      PRIMARY KEY (destination, key)
    );
    INSERT INTO batches_v4 (destination, key, highlights, created_at)
      SELECT '', key, highlights, created_at FROM batches ORDER BY rowid;
    DROP TABLE batches;
    ALTER TABLE batches_v4 RENAME TO batches;

    DROP INDEX conversations_pending;
    DROP INDEX conversations_seq;
    ALTER TABLE conversations DROP COLUMN delivered_version;
    ALTER TABLE conversations DROP COLUMN failed_version;
    ALTER TABLE conversations DROP COLUMN last_error;
    ALTER TABLE conversations DROP COLUMN attempts;
    ALTER TABLE conversations DROP COLUMN pending_seq;
    ALTER TABLE conversations ADD COLUMN facts TEXT;
    CREATE INDEX conversations_by_time ON conversations (front_updated_at);
  `);
};

// What a webhook body said beyond ids: when the event happened (to skip events the stored state
// already covers) and a rule webhook's full event data (imported without a request).
const v5: Migration = (db) => {
  db.exec(`
    ALTER TABLE webhook_events ADD COLUMN emitted_at REAL;
    ALTER TABLE webhook_events ADD COLUMN full_event TEXT;
  `);
};

// Claims on queued events, so listener replicas share the queue: who holds an event and until when
// (ISO time on the store's clock); a replica that died loses its claims when they expire.
const v6: Migration = (db) => {
  db.exec(`
    ALTER TABLE webhook_events ADD COLUMN claimed_by TEXT;
    ALTER TABLE webhook_events ADD COLUMN claim_expires_at TEXT;
    -- A claim skips conversations another replica holds: found by index, not a scan per event.
    CREATE INDEX webhook_events_open_conversation ON webhook_events (conversation_id) WHERE processed_at IS NULL;
  `);
};

// The compact state (issue 22). A delivery row keeps what delivery needs: destination (a number, see
// `destinations`), conversation, version, state (0 pending, 1 delivered, 2 refused) and when it got
// there; the Highlight to send only while it is to be sent (gone once accepted: replay rebuilds it
// from the conversation). The Highlight id is 'front:' + conversation id, so settling finds a row by
// the primary key and the id column and its index go; a pending row remembers the version the
// destination already has (delivered_version), so a change back to it sends nothing; the Highlight
// to send waits in outbox_payloads until accepted; WITHOUT ROWID: the key is the table. Per
// destination counters (kept by triggers, so every writer, state import included, keeps them right)
// let `status` answer without a scan that grows with the state. The conversation row loses what it
// can rebuild: its id, last_message_id (in last_message), first_seen_at and updated_at (never read),
// and the payload keys every Highlight has by construction (store/stored-highlight.ts).
const v7: Migration = (db) => {
  db.exec(`
    CREATE TABLE destinations (
      id               INTEGER PRIMARY KEY,
      key              TEXT NOT NULL UNIQUE,
      highlights       INTEGER NOT NULL DEFAULT 0,
      pending          INTEGER NOT NULL DEFAULT 0,
      refused          INTEGER NOT NULL DEFAULT 0,
      last_delivery_at TEXT
    );
    INSERT INTO destinations (key) SELECT DISTINCT destination FROM deliveries ORDER BY destination;

    CREATE TABLE deliveries_v7 (
      destination_id  INTEGER NOT NULL,
      conversation_id TEXT NOT NULL,
      version         TEXT NOT NULL,
      state           INTEGER NOT NULL,
      at              TEXT NOT NULL,
      pending_seq     INTEGER NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT,
      delivered_version TEXT,
      PRIMARY KEY (destination_id, conversation_id)
    ) WITHOUT ROWID;
    -- The Highlight to send, while a row is pending or refused. A table of its own: delivery rows stay
    -- small and packed, and the pages of sent Highlights are freed whole.
    CREATE TABLE outbox_payloads (
      destination_id  INTEGER NOT NULL,
      conversation_id TEXT NOT NULL,
      payload         TEXT NOT NULL,
      PRIMARY KEY (destination_id, conversation_id)
    );
    INSERT INTO outbox_payloads (destination_id, conversation_id, payload)
      SELECT dest.id, d.conversation_id, d.payload FROM deliveries d JOIN destinations dest ON dest.key = d.destination
      WHERE d.version IS NOT d.delivered_version;
    INSERT INTO deliveries_v7 (destination_id, conversation_id, version, state, at, pending_seq, attempts, last_error, delivered_version)
      SELECT dest.id, d.conversation_id, d.version,
        CASE WHEN d.version = d.delivered_version THEN 1 WHEN d.version = d.refused_version THEN 2 ELSE 0 END,
        CASE WHEN d.version = d.delivered_version THEN COALESCE(d.delivered_at, d.updated_at)
             WHEN d.version = d.refused_version THEN COALESCE(d.refused_at, d.updated_at) ELSE d.updated_at END,
        d.pending_seq, d.attempts, d.last_error, CASE WHEN d.version = d.delivered_version THEN NULL ELSE d.delivered_version END
      FROM deliveries d JOIN destinations dest ON dest.key = d.destination;
    -- An older delivered version's time, where a newer one is now pending, is still the last delivery.
    UPDATE destinations SET
      highlights = (SELECT count(*) FROM deliveries_v7 WHERE destination_id = destinations.id),
      pending = (SELECT count(*) FROM deliveries_v7 WHERE destination_id = destinations.id AND state = 0),
      refused = (SELECT count(*) FROM deliveries_v7 WHERE destination_id = destinations.id AND state = 2),
      last_delivery_at = (SELECT max(delivered_at) FROM deliveries WHERE destination = destinations.key);
    DROP TABLE deliveries;
    ALTER TABLE deliveries_v7 RENAME TO deliveries;
    ${COUNTING_TRIGGERS}
    CREATE INDEX deliveries_pending ON deliveries (destination_id, pending_seq) WHERE state = 0;
    CREATE INDEX deliveries_refused ON deliveries (destination_id, at) WHERE state = 2;

    CREATE TABLE state_counts (only_row INTEGER PRIMARY KEY CHECK (only_row = 1), conversations INTEGER NOT NULL);
    CREATE TABLE conversations_v7 (
      conversation_id  TEXT PRIMARY KEY,
      version          TEXT NOT NULL,
      payload          TEXT NOT NULL,
      facts            TEXT,
      last_message     TEXT,
      front_updated_at REAL
    );
    INSERT INTO conversations_v7 (conversation_id, version, payload, facts, last_message, front_updated_at)
      SELECT conversation_id, version,
        CASE WHEN json_extract(payload, '$.sourceUrl') = 'https://app.frontapp.com/open/' || conversation_id
               AND json_array_length(payload, '$.labels') = 0 AND json_extract(payload, '$.id') = 'front:' || conversation_id
               AND json_extract(payload, '$.schemaVersion') = 2
          THEN json_remove(payload, '$.id', '$.version', '$.schemaVersion', '$.source', '$.conversationId', '$.sourceUrl', '$.labels')
          ELSE payload END,
        facts, last_message, front_updated_at
      FROM conversations ORDER BY conversation_id;
    DROP TABLE conversations;
    ALTER TABLE conversations_v7 RENAME TO conversations;
    CREATE INDEX conversations_by_time ON conversations (front_updated_at);
    INSERT INTO state_counts (only_row, conversations) VALUES (1, (SELECT count(*) FROM conversations));
    ${CONVERSATION_TRIGGERS}
  `);
};

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the store up to migrations.length in one transaction: a failed step leaves it as it was.
 * Returns the version it found when it migrated, null when the store was up to date.
 */
export function migrate(db: Database.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): number | null {
  const known = migrations.length;
  /** The version found, once refused if newer than this build knows; null when nothing is to do. */
  const pending = (): number | null => {
    const current = schemaVersion(db);
    if (current > known) throw newerSchema(path, current, known);
    return current === known ? null : current;
  };
  // Looked at first without the write lock: a state that is up to date needs none, so opening it
  // never waits on (or times out behind) another process's write, e.g. a second sync that must
  // get to the lock check and exit 4 while the first is storing a page.
  if (pending() === null) return null;
  return db.transaction((): number | null => {
    // Read again under the write lock: another process may have migrated since we last looked.
    const current = pending();
    if (current === null) return null;
    for (const step of migrations.slice(current)) step(db);
    db.pragma(`user_version = ${known}`);
    return current;
  }).immediate();
}

/** The schema version from which on a state file frees pages incrementally (v7, the compact state). */
export const INCREMENTAL_VACUUM_FROM = 7;
