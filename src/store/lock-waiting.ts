// Where a process waiting for a lock says so (Locks.markWaiting): a row of the `locks` table beside
// the lock's own, in both backends, never taken for a lock (no LockName ends so).

import type { LockName } from './roles.js';

export function waitingRow(name: LockName): string {
  return `${name}:waiting`;
}
