// Where a process waiting for a lock says so (Locks.markWaiting): a row of the `locks` table beside
// the lock's own, in both backends, written, read and deleted by the statements of the lock's own
// row, never taken for a lock (no LockName ends so).

import type { LockName } from './roles.js';
import type { LockHolder } from './types.js';

export function waitingRow(name: LockName): string {
  return `${name}:waiting`;
}

/** The row's holder unless it is this process itself (otherWaiting). */
export function anotherProcess(holder: LockHolder | null, self: { pid: number; hostname: string }): LockHolder | null {
  return holder && !(holder.pid === self.pid && holder.hostname === self.hostname) ? holder : null;
}
