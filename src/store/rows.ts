// Rows as both backends read them (same tables, same columns) and the records they become.

import type { ConversationSnapshot, RunRecord, StoredMessage } from './types.js';

export interface RunRow {
  /** PostgreSQL hands bigint ids over as strings. */
  id: number | string;
  command: string;
  args: string;
  started_at: string;
  ended_at: string | null;
  outcome: string | null;
  exit_code: number | null;
  error: string | null;
  counts: string;
  requests: string;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: Number(row.id),
    command: row.command,
    args: JSON.parse(row.args) as Record<string, unknown>,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: row.outcome,
    exitCode: row.exit_code,
    error: row.error,
    counts: JSON.parse(row.counts) as Record<string, number>,
    requests: JSON.parse(row.requests) as Record<string, unknown>,
  };
}

export interface SnapshotRow {
  conversation_id: string;
  version: string;
  delivered_version: string | null;
  last_message_id: string | null;
  front_updated_at: number | null;
  last_message: string | null;
  /** The stored Highlight's status, read out of its payload (each backend has its own JSON path syntax). */
  status: string | null;
}

/** Every column of a snapshot but `status`, which the backend's query adds. */
export const SNAPSHOT_COLUMNS = 'conversation_id, version, delivered_version, last_message_id, front_updated_at, last_message';

export function toSnapshot(row: SnapshotRow): ConversationSnapshot {
  return {
    conversationId: row.conversation_id,
    version: row.version,
    deliveredVersion: row.delivered_version,
    lastMessageId: row.last_message_id,
    frontUpdatedAt: row.front_updated_at,
    lastMessage: row.last_message === null ? null : (JSON.parse(row.last_message) as StoredMessage),
    status: row.status,
  };
}
