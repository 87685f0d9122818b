import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LockError, exitCodeFor } from '../../src/errors.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { manualClock, useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();
const HOST = 'host-a';

async function lockErrorFrom(fn: () => Promise<unknown>): Promise<LockError> {
  try {
    await fn();
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

describe('store lock', async () => {
  it('refuses a second holder while the first process lives, within milliseconds, naming command, pid and file', async () => {
    const path = join(tempDir(), 'state.db');
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const first = openStore(path, { clock: clock.now, pid: process.pid, hostname: HOST });
    // Two live processes on one host, told apart by the default liveness check.
    const second = openStore(path, { pid: process.ppid, hostname: HOST });
    await first.acquireLock('import', 'sync');

    const started = performance.now();
    const err = await lockErrorFrom(() => second.acquireLock('import', 'sync'));
    expect(performance.now() - started).toBeLessThan(200);
    expect(err.message).toBe(
      `another front-import sync (pid ${process.pid}, since 2024-05-01T10:00:00.000Z) is running with ${path}; wait for it or stop it`,
    );
    expect(exitCodeFor(err)).toBe(4);

    await first.releaseLock('import');
    expect(await second.acquireLock('import', 'backfill')).toBeNull();
    await lockErrorFrom(() => first.acquireLock('import', 'sync'));
    await first.close();
    await second.close();
  });

  it('takes over a lock whose holder died, and says whom it replaced', async () => {
    const path = join(tempDir(), 'state.db');
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const pid = deadPid();
    const crashed = openStore(path, { clock: clock.now, pid, hostname: HOST });
    await crashed.acquireLock('import', 'backfill');
    await crashed.close();

    const next = openStore(path, { pid: process.pid, hostname: HOST });
    expect(await next.acquireLock('import', 'sync')).toEqual({ pid, hostname: HOST, command: 'backfill', acquiredAt: '2024-05-01T10:00:00.000Z' });
    await next.close();
  });

  it('lockHolder says who holds a lock and whether that process still runs, without taking it', async () => {
    const path = join(tempDir(), 'state.db');
    const clock = manualClock('2024-05-01T10:00:00.000Z');
    const reader = openStore(path, { pid: process.pid, hostname: HOST });
    expect(await reader.lockHolder('import')).toBeNull();

    const live = openStore(path, { clock: clock.now, pid: process.ppid, hostname: HOST });
    await live.acquireLock('import', 'sync');
    expect(await reader.lockHolder('import')).toEqual({ pid: process.ppid, hostname: HOST, command: 'sync', acquiredAt: '2024-05-01T10:00:00.000Z', running: true });
    expect(await reader.lockHolder('delivery')).toBeNull();
    await live.releaseLock('import');

    const pid = deadPid();
    const crashed = openStore(path, { pid, hostname: HOST });
    await crashed.acquireLock('import', 'backfill');
    await crashed.close();
    expect(await reader.lockHolder('import')).toMatchObject({ pid, command: 'backfill', running: false });
    // Reading does not take the lock over: the row is still the dead holder's.
    expect(await reader.lockHolder('import')).toMatchObject({ pid });
    // A holder on another host cannot be checked: it counts as running.
    const elsewhere = openStore(path, { pid, hostname: 'host-b' });
    await elsewhere.acquireLock('import', 'sync');
    expect(await reader.lockHolder('import')).toMatchObject({ hostname: 'host-b', running: true });
    await elsewhere.close();
    await live.close();
    await reader.close();
  });

  it('takes over a stale row carrying our own pid (pid reuse after a restart)', async () => {
    const path = join(tempDir(), 'state.db');
    const alwaysAlive = () => true;
    const before = openStore(path, { pid: 1, hostname: HOST, isProcessAlive: alwaysAlive });
    await before.acquireLock('import', 'sync');
    await before.close();
    const after = openStore(path, { pid: 1, hostname: HOST, isProcessAlive: alwaysAlive });
    expect(await after.acquireLock('import', 'sync')).toMatchObject({ pid: 1, command: 'sync' });
    await after.close();
  });

  it('keeps each named lock apart', async () => {
    const path = join(tempDir(), 'state.db');
    const alwaysAlive = () => true;
    const syncer = openStore(path, { pid: 10, hostname: HOST, isProcessAlive: alwaysAlive });
    const listener = openStore(path, { pid: 20, hostname: HOST, isProcessAlive: alwaysAlive });
    await syncer.acquireLock('import', 'sync');
    expect(await listener.acquireLock('delivery', 'listen')).toBeNull();
    await lockErrorFrom(() => syncer.acquireLock('delivery', 'sync'));
    await listener.releaseLock('delivery');
    await syncer.acquireLock('delivery', 'sync');
    await lockErrorFrom(() => listener.acquireLock('import', 'listen'));
    await syncer.close();
    await listener.close();
  });

  it('releases only its own lock', async () => {
    const path = join(tempDir(), 'state.db');
    const alwaysAlive = () => true;
    const holder = openStore(path, { pid: 10, hostname: HOST, isProcessAlive: alwaysAlive });
    const other = openStore(path, { pid: 20, hostname: HOST, isProcessAlive: alwaysAlive });
    await holder.acquireLock('import', 'sync');
    await other.releaseLock('import');
    await lockErrorFrom(() => other.acquireLock('import', 'sync'));
    await holder.releaseLock('import');
    await other.acquireLock('import', 'sync');
    await holder.close();
    await other.close();
  });

  it('answers "busy" fast when another connection is in the middle of a write', async () => {
    const path = join(tempDir(), 'state.db');
    const store = openStore(path);
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      const err = await lockErrorFrom(() => store.acquireLock('import', 'sync'));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(err.message).toContain(path);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    await store.acquireLock('import', 'sync');
    await store.close();
  });
});
