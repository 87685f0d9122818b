// Schema versions, tracked in PRAGMA user_version. migrations[i] takes a store from version i to
// i + 1; never edit a shipped migration, append a new one.

import type Database from 'better-sqlite3';
import { newerSchema } from './store-errors.js';

export type Migration = (db: Database.Database) => void;

/** "FRIM": marks a SQLite file as ours, so another program's database is never migrated into one. */
export const APPLICATION_ID = 0x4652494d;

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

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the store up to migrations.length in one transaction: a failed step leaves it as it was. */
export function migrate(db: Database.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): void {
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
  if (pending() === null) return;
  db.transaction(() => {
    // Read again under the write lock: another process may have migrated since we last looked.
    const current = pending();
    if (current === null) return;
    for (const step of migrations.slice(current)) step(db);
    db.pragma(`user_version = ${known}`);
  }).immediate();
}
