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

/** Runs fn holding the delivery lock, waiting while another live process holds it. */
export async function underDeliveryLock<T>(store: Locks, opts: DeliveryLockOptions, fn: () => Promise<T>): Promise<T> {
  const sleep = opts.sleep ?? abortableSleep;
  for (let tries = 1; ; tries++) {
    try {
      const stale = await store.acquireLock('delivery', opts.command);
      if (stale) opts.warn?.(takeoverWarning(stale));
      break;
    } catch (err) {
      if (!(err instanceof LockError) || tries >= (opts.maxTries ?? MAX_TRIES)) throw err;
    }
    await sleep(opts.pollMs ?? POLL_MS, opts.signal);
  }
  try {
    return await fn();
  } finally {
    await store.releaseLock('delivery');
  }
}
