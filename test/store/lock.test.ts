import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LockError, exitCodeFor } from '../../src/errors.ts';
import { openStore } from '../../src/store/sqlite-store.ts';
import { manualClock, useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();
const HOST = 'host-a';

function lockErrorFrom(fn: () => void): LockError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LockError);
    return err as LockError;
  }
  throw new Error('expected LockError');
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.pid).toBeGreaterThan(0);
  return child.pid!;
}

describe('store lock', () => {
  it('refuses a second holder while the first process lives, within milliseconds, naming command, pid and file', () => {
    const path = join(tempDir(), 'state.db');
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const first = openStore(path, { clock: clock.now, pid: process.pid, hostname: HOST });
    // Two live processes on one host, told apart by the default liveness check.
    const second = openStore(path, { pid: process.ppid, hostname: HOST });
    first.acquireLock('sync');

    const started = performance.now();
    const err = lockErrorFrom(() => second.acquireLock('sync'));
    expect(performance.now() - started).toBeLessThan(200);
    expect(err.message).toBe(
      `another front-import sync (pid ${process.pid}, since 2024-05-01T10:00:00.000Z) is running with ${path}; wait for it or stop it`,
    );
    expect(exitCodeFor(err)).toBe(4);

    first.releaseLock();
    second.acquireLock('backfill');
    expect(second.lastTakeover).toBeNull();
    lockErrorFrom(() => first.acquireLock('sync'));
    first.close();
    second.close();
  });

  it('takes over a lock whose holder died, and says whom it replaced', () => {
    const path = join(tempDir(), 'state.db');
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const pid = deadPid();
    const crashed = openStore(path, { clock: clock.now, pid, hostname: HOST });
    crashed.acquireLock('backfill');
    crashed.close();

    const next = openStore(path, { pid: process.pid, hostname: HOST });
    next.acquireLock('sync');
    expect(next.lastTakeover).toEqual({ pid, hostname: HOST, command: 'backfill', acquiredAt: '2024-05-01T10:00:00.000Z' });
    next.close();
  });

  it('takes over a stale row carrying our own pid (pid reuse after a restart)', () => {
    const path = join(tempDir(), 'state.db');
    const alwaysAlive = () => true;
    const before = openStore(path, { pid: 1, hostname: HOST, isProcessAlive: alwaysAlive });
    before.acquireLock('sync');
    before.close();
    const after = openStore(path, { pid: 1, hostname: HOST, isProcessAlive: alwaysAlive });
    after.acquireLock('sync');
    expect(after.lastTakeover).toMatchObject({ pid: 1, command: 'sync' });
    after.close();
  });

  it('releases only its own lock', () => {
    const path = join(tempDir(), 'state.db');
    const alwaysAlive = () => true;
    const holder = openStore(path, { pid: 10, hostname: HOST, isProcessAlive: alwaysAlive });
    const other = openStore(path, { pid: 20, hostname: HOST, isProcessAlive: alwaysAlive });
    holder.acquireLock('sync');
    other.releaseLock();
    lockErrorFrom(() => other.acquireLock('sync'));
    holder.releaseLock();
    other.acquireLock('sync');
    holder.close();
    other.close();
  });

  it('answers "busy" fast when another connection is in the middle of a write', () => {
    const path = join(tempDir(), 'state.db');
    const store = openStore(path);
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      const err = lockErrorFrom(() => store.acquireLock('sync'));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(err.message).toContain(path);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    store.acquireLock('sync');
    store.close();
  });
});
