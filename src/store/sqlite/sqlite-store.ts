// The Store on a better-sqlite3 state file: opens it, wires the table modules together into the
// roles' atomic operations, and makes every failure a StoreError naming the file. better-sqlite3 is
// synchronous: each operation runs its whole transaction before its promise settles, so no two
// operations ever interleave inside one transaction.

import { hostname as osHostname } from 'node:os';
import type { Highlight } from '../../highlight/types.js';
import type { Outbox, SentItem, Store } from '../roles.js';
import type { PagesWrite, StoreTotals, UpsertOutcome } from '../types.js';
import { atRestStatements } from './at-rest.js';
import { batchStatements } from './batches.js';
import { conversationStatements } from './conversations.js';
import { deliveryStatements } from './deliveries.js';
import { destinationStateStatements } from './destination-state.js';
import { LEGACY_DESTINATION, LEGACY_SYNC_CURSOR } from '../keys.js';
import { eventMessageStatements } from './event-messages.js';
import { keyValueStatements } from './key-values.js';
import { isProcessAlive, lockStatements } from './lock.js';
import { openDatabase, releaseFreePages } from './open-database.js';
import { runStatements } from './runs.js';
import { guardAll, toStoreError } from './store-errors.js';
import { webhookStatements } from './webhook-queue.js';
import { redoableTransaction, writeTransaction } from './write-transaction.js';

export interface StoreDeps {
  /** Milliseconds since the epoch; stamps every stored time. */
  clock?: () => number;
  pid?: number;
  hostname?: string;
  isProcessAlive?: (pid: number) => boolean;
}

/** Opens or creates the state file at `path` (":memory:" for a throwaway store); throws StoreError. */
export function openStore(path: string, deps: StoreDeps = {}): Store {
  const db = openDatabase(path);
  try {
    const clock = deps.clock ?? Date.now;
    const now = () => new Date(clock()).toISOString();
    const deliveries = deliveryStatements(db, now);
    const destinationState = destinationStateStatements(db);
    const { upsert, conversationCount, ...conversations } = conversationStatements(db, deliveries);
    const batches = batchStatements(db, now);
    const { rememberEventMessages, forgetEventMessages, ...eventMessages } = eventMessageStatements(db);
    const { setCheckpoint, ...keyValues } = keyValueStatements(db, now);
    const outboxMethods = (destination: string) => ({
      pending: (limit: number) => deliveries.pending(destination, limit),
      pendingCount: () => deliveries.pendingCount(destination),
      openBatches: () => batches.openBatches(destination),
      saveBatch: (batch: { key: string; highlights: Highlight[] }) => batches.saveBatch(destination, batch),
      batchAccepted: writeTransaction(db, (key: string, items: readonly { id: string; version: string }[]): void => {
        deliveries.markDelivered(destination, items);
        batches.deleteBatch(destination, key);
      }),
      batchRefused: writeTransaction(db, (key: string, item: { id: string; version: string }, error: string): void => {
        deliveries.markRefused(destination, item, error);
        batches.deleteBatch(destination, key);
      }),
      splitBatch: writeTransaction(db, (key: string, parts: readonly { key: string; highlights: Highlight[] }[]): void => {
        batches.deleteBatch(destination, key);
        for (const part of parts) batches.saveBatch(destination, part);
      }),
      sentDirectly: writeTransaction(db, (items: readonly SentItem[]): void => deliveries.markSent(destination, items)),
      recordAttempt: writeTransaction(db, (ids: readonly string[], error: string | null): void => deliveries.bumpAttempts(destination, ids, error)),
      totals: () => deliveries.destinationTotals(destination),
      retryRefused: () => deliveries.retryRefused(destination),
      enqueue: writeTransaction(db, (highlights: readonly Highlight[], opts: { resend: boolean }): number =>
        deliveries.queueAll(destination, highlights, opts.resend).filter((outcome) => outcome !== 'same').length,
      ),
    });
    const outboxes = new Map<string, Outbox>();
    const methods = {
      ...conversations,
      upsert,
      destinations: () => deliveries.destinations(),
      claimLegacyDeliveries: writeTransaction(
        db,
        (destination: string, cursorName: string): boolean =>
          destination !== LEGACY_DESTINATION && destinationState.moveDestination(LEGACY_DESTINATION, destination, { from: LEGACY_SYNC_CURSOR, to: cursorName }),
      ),
      moveDestination: writeTransaction(db, destinationState.moveDestination),
      forgetDestination: writeTransaction(db, destinationState.forgetDestination),
      totals: (): StoreTotals => {
        const all = deliveries.allTotals();
        return { conversations: conversationCount(), delivered: all.delivered, pending: all.pending, failed: all.refused, failures: all.refusals };
      },
      persistPages: redoableTransaction(db, (write: PagesWrite): UpsertOutcome[] => {
        rememberEventMessages(write.runKey, write.messages);
        const outcomes = write.items.map((item) => upsert(item));
        forgetEventMessages(write.runKey, write.imported);
        if (write.checkpoint !== undefined) setCheckpoint(write.runKey, write.checkpoint);
        return outcomes;
      }),
      ...eventMessages,
      ...keyValues,
      setCheckpoint,
      ...runStatements(db, now),
      ...webhookStatements(db, clock),
      ...atRestStatements(db),
      ...lockStatements(db, path, now, {
        pid: deps.pid ?? process.pid,
        hostname: deps.hostname ?? osHostname(),
        isProcessAlive: deps.isProcessAlive ?? isProcessAlive,
      }),
    };
    const guarded = guardAll(path, methods);
    return {
      ...guarded,
      outbox(destination: string): Outbox {
        let outbox = outboxes.get(destination);
        if (!outbox) {
          outbox = { destination, ...guardAll(path, outboxMethods(destination)) };
          outboxes.set(destination, outbox);
        }
        return outbox;
      },
      // The generic readers: the stored JSON is whatever the caller saved under that key.
      getCheckpoint: guarded.getCheckpoint as Store['getCheckpoint'],
      getMeta: guarded.getMeta as Store['getMeta'],
      location: path,
      inProcess: true,
      close: async () => {
        releaseFreePages(db);
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw toStoreError(err, path);
  }
}
