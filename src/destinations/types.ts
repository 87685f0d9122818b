import { createHash } from 'node:crypto';
import type { Highlight } from '../highlight/types.js';

/** Highlights sent together; `key` is their Idempotency-Key, fixed before the first attempt. */
export interface Batch {
  key: string;
  highlights: Highlight[];
}

interface DestinationBase {
  /** ndjson: 500; http: config batchSize. */
  readonly maxBatchSize: number;
  /**
   * Resolves when the whole batch is durably accepted. Throws BatchRejectedError for a permanent
   * refusal (4xx other than 408/409/429), DestinationError after retries are exhausted.
   */
  send(batch: Batch): Promise<void>;
  close(): Promise<void>;
}

/**
 * Whether the receiver drops a batch sent again by its key (HTTP's Idempotency-Key): `keyedBatches`.
 * Such a batch is written to the state before its first send, so after a crash the very same one
 * goes again. A file's readers dedupe on each line's id and version instead (the key is not
 * written), so its batches need no such record, and `replay` writes it straight from the stored
 * conversations.
 */
export interface KeyedDestination extends DestinationBase {
  readonly keyedBatches: true;
}

export interface LineDestination extends DestinationBase {
  readonly keyedBatches: false;
  /**
   * A batch already written out as its lines (ndjson-lines.ts: each Highlight serialised, UTF-8,
   * newline-ended), as `replay` converts them off the main thread; accepted as `send` accepts one.
   */
  sendLines(lines: Uint8Array): Promise<void>;
}

export type Destination = KeyedDestination | LineDestination;

/**
 * The destination refused this batch for good. Deliberately not a FrontImportError (no exit code):
 * the pipeline splits the batch on it to find the Highlight that is refused.
 */
export class BatchRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly responseMessage: string,
    /** Names the destination in the message (its description, never a token). */
    readonly where = 'destination',
  ) {
    super(`${where} rejected the batch (${status}): ${responseMessage}`);
    this.name = 'BatchRejectedError';
  }
}

/**
 * sha256 hex of the batch's `id@version` list joined with "\n", in batch order: the same Highlights
 * at the same versions always give the same key, so a receiver can drop a re-sent batch.
 */
export function batchKey(highlights: readonly Highlight[]): string {
  const list = highlights.map((h) => `${h.id}@${h.version}`).join('\n');
  return createHash('sha256').update(list).digest('hex');
}
