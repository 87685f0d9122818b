// The text a state keeps at rest beyond the conversation rows, column by column: what state
// redaction (runs/state-redaction.ts) rewrites in place, in key order and in batches, through each
// backend's `rewriteColumn`. The same tables and columns in both backends. A new table or column
// that can hold a customer's words belongs here too (test/store/at-rest.test.ts plants personal data
// in each and scans every text column PostgreSQL has).

import { getOrAdd } from '../shared/get-or-add.js';

/** Rows of (conversation, destination key), in key order, as each conversation's destinations: deliveryDestinations on both backends. */
export function destinationsByConversation(rows: Iterable<{ conversation_id: string; key: string }>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const row of rows) getOrAdd(found, row.conversation_id, () => []).push(row.key);
  return found;
}

export interface AtRestColumnSpec {
  table: string;
  /** The primary key, in order: a batch resumes after the last key it saw. */
  key: readonly string[];
  /** The key columns' SQL types, for PostgreSQL's parameters. */
  keyTypes: readonly ('text' | 'integer' | 'bigint')[];
  column: string;
  /**
   * 'update': the value is replaced. 'payload': an outbox Highlight; its delivery row takes the
   * new version with it, so the item still settles when the destination accepts it. 'delete': an
   * open batch whose content changes is dropped; its items are pending rows and go out again in a
   * new batch (a new Idempotency-Key: the old one named other bytes).
   */
  onChange: 'update' | 'payload' | 'delete';
}

export const AT_REST_COLUMNS = {
  outboxPayloads: { table: 'outbox_payloads', key: ['destination_id', 'conversation_id'], keyTypes: ['integer', 'text'], column: 'payload', onChange: 'payload' },
  openBatches: { table: 'batches', key: ['destination', 'key'], keyTypes: ['text', 'text'], column: 'highlights', onChange: 'delete' },
  deliveryErrors: { table: 'deliveries', key: ['destination_id', 'conversation_id'], keyTypes: ['integer', 'text'], column: 'last_error', onChange: 'update' },
  stagedMessages: { table: 'event_messages', key: ['run_key', 'conversation_id'], keyTypes: ['text', 'text'], column: 'message', onChange: 'update' },
  webhookEvents: { table: 'webhook_events', key: ['event_id'], keyTypes: ['text'], column: 'full_event', onChange: 'update' },
  webhookErrors: { table: 'webhook_events', key: ['event_id'], keyTypes: ['text'], column: 'last_error', onChange: 'update' },
  runErrors: { table: 'runs', key: ['id'], keyTypes: ['bigint'], column: 'error', onChange: 'update' },
  runArgs: { table: 'runs', key: ['id'], keyTypes: ['bigint'], column: 'args', onChange: 'update' },
} as const satisfies Record<string, AtRestColumnSpec>;

export type AtRestColumn = keyof typeof AT_REST_COLUMNS;

/** Where a column's next batch starts: the last key seen, as JSON (null: from the first row). */
export type AtRestCursor = string | null;

export interface RewriteBatch {
  /** Null when the column has no rows after this batch. */
  next: AtRestCursor;
  /** Rows whose value changed (rewritten, or for open batches deleted). */
  changed: number;
}

/** What `scrubFreeSpace` did: the freed space and journal no longer hold old text, or why not. */
export interface ScrubReport {
  done: boolean;
  /** One line for the user: what ran, or what is left and why. */
  detail: string;
}

/**
 * SQL for one batch of a column, the placeholders the backend's: `?` for SQLite, `$n` (typed, where
 * a row comparison leaves PostgreSQL no type to infer) otherwise.
 */
export function batchSelect(spec: AtRestColumnSpec, backend: 'sqlite' | 'postgres', after: boolean): string {
  const placeholder = (n: number, type: string) => (backend === 'sqlite' ? '?' : `$${n}::${type}`);
  const keys = spec.key.join(', ');
  const bound = spec.keyTypes.map((type, i) => placeholder(i + 1, type)).join(', ');
  const where = [`${spec.column} IS NOT NULL`, ...(after ? [`(${keys}) > (${bound})`] : [])];
  const limit = placeholder(after ? spec.key.length + 1 : 1, 'integer');
  return `SELECT ${keys}, ${spec.column} AS value FROM ${spec.table} WHERE ${where.join(' AND ')} ORDER BY ${keys} LIMIT ${limit}`;
}

/** The key of a row as the cursor stores it. */
function keyOf(spec: AtRestColumnSpec, row: Record<string, unknown>): unknown[] {
  return spec.key.map((k) => row[k]);
}

/** What one batch's rows become: each backend runs these writes in the batch's transaction. */
export type RewriteWrite =
  | { kind: 'delete'; key: unknown[] }
  | { kind: 'update'; key: unknown[]; value: string; retag: { version: string; old: string } | null };

/** The writes a batch of rows (value as `value`) needs under `rewrite`, and where the next batch starts. */
export function planRewrite(spec: AtRestColumnSpec, rows: readonly Record<string, unknown>[], limit: number, rewrite: (value: string) => string): { writes: RewriteWrite[]; next: AtRestCursor } {
  const writes: RewriteWrite[] = [];
  for (const row of rows) {
    const value = row.value as string;
    const next = rewrite(value);
    if (next === value) continue;
    const key = keyOf(spec, row);
    if (spec.onChange === 'delete') writes.push({ kind: 'delete', key });
    else writes.push({ kind: 'update', key, value: next, retag: spec.onChange === 'payload' ? { version: payloadVersion(next), old: payloadVersion(value) } : null });
  }
  const last = rows.at(-1);
  return { writes, next: rows.length < limit || !last ? null : JSON.stringify(keyOf(spec, last)) };
}

/** The version a stored Highlight's JSON says it has ('' when it says none). */
function payloadVersion(payload: string): string {
  const v = (JSON.parse(payload) as { version?: unknown }).version;
  return typeof v === 'string' ? v : '';
}
