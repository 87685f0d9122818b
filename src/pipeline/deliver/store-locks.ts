// How commands hold the store's locks. A backfill or sync holds the import lock for its whole run,
// so a second one is refused at once (LockError, exit 4). Delivery is serialised by a separate
// lock held for one batch at a time, which a sync and a busy `listen` on the same state take turns
// on, waiting for each other instead of failing: only two imports exclude each other.

import { LockError } from '../../errors.js';
import { abortableSleep, type Sleep } from '../../shared/sleep.js';
import type { Locks } from '../../store/roles.js';
import type { LockHolder } from '../../store/types.js';

export function takeoverWarning(holder: LockHolder): string {
  return `took over the lock left by ${holder.command} (pid ${holder.pid}, since ${holder.acquiredAt}), which is no longer running`;
}

export async function takeImportLock(store: Locks, command: string, warn: (line: string) => void): Promise<void> {
  const stale = await store.acquireLock('import', command);
  if (stale) warn(takeoverWarning(stale));
}

export interface DeliveryLockOptions {
  /** The command named to a process that finds the lock taken. */
  command: string;
  signal?: AbortSignal;
  sleep?: Sleep;
  warn?: (line: string) => void;
  /** Pause between tries while another process delivers. */
  pollMs?: number;
  /** Tries before giving up with the LockError (the other process is stuck, not taking turns). */
  maxTries?: number;
}

const POLL_MS = 100;
/** About five minutes at POLL_MS: far longer than one batch takes, retries included. */
const MAX_TRIES = 3_000;

/** The latest try of a waiting process each store let the lock go to (otherWaiting, as a key). */
const letGoTo = new WeakMap<Locks, string>();

/**
 * Runs fn holding the delivery lock, waiting while another live process holds it. Takes turns: a
 * process that takes the lock batch after batch (a replay) takes it back within a millisecond of
 * freeing it, where a waiter tries every POLL_MS, so a waiter says it waits (Locks.markWaiting) and
 * the taker first lets each try it sees go ahead, pausing 1.5 tries' time.
 */
export async function underDeliveryLock<T>(store: Locks, opts: DeliveryLockOptions, fn: () => Promise<T>): Promise<T> {
  const sleep = opts.sleep ?? abortableSleep;
  const pollMs = opts.pollMs ?? POLL_MS;
  const waiting = await store.otherWaiting('delivery');
  if (waiting) {
    const key = `${waiting.hostname}:${waiting.pid}:${waiting.acquiredAt}`;
    if (letGoTo.get(store) !== key) {
      letGoTo.set(store, key);
      await sleep(pollMs * 1.5, opts.signal);
    }
  }
  let waited = false;
  try {
    for (let tries = 1; ; tries++) {
      try {
        const stale = await store.acquireLock('delivery', opts.command);
        if (stale) opts.warn?.(takeoverWarning(stale));
        break;
      } catch (err) {
        if (!(err instanceof LockError) || tries >= (opts.maxTries ?? MAX_TRIES)) throw err;
      }
      await store.markWaiting('delivery', opts.command);
      waited = true;
      await sleep(pollMs, opts.signal);
    }
  } finally {
    // A mark left behind costs a holder one pause: a failure to take it back is not worth telling,
    // least of all over what stopped the wait.
    if (waited) await store.clearWaiting('delivery').catch(() => undefined);
  }
  try {
    return await fn();
  } finally {
    await store.releaseLock('delivery');
  }
}
