// A process waiting for a lock says so (markWaiting), so that a holder taking the lock batch after
// batch lets it go (pipeline/deliver/store-locks.ts): the mark is seen by every other process on the
// state, never by its own, takes no lock, and is gone once cleared. On both backends.

import { describe, expect, it } from 'vitest';
import { storeBackends } from './backends.ts';

describe.each(storeBackends())('waiting for a lock ($name)', (backend) => {
  it('is seen by the other processes on the state, not by the waiter itself, takes no lock, and is gone once cleared', async () => {
    const state = await backend.state();
    let ms = Date.parse('2026-12-06T10:00:00.000Z');
    const clock = () => ms;
    const holder = await state.open({ clock, pid: process.pid, hostname: 'host-a' });
    const waiter = await state.open({ clock, pid: process.ppid, hostname: 'host-a' });
    try {
      expect(await holder.otherWaiting('delivery')).toBeNull();
      await waiter.markWaiting('delivery', 'sync');
      expect(await holder.otherWaiting('delivery')).toEqual({ pid: process.ppid, hostname: 'host-a', command: 'sync', acquiredAt: '2026-12-06T10:00:00.000Z' });
      expect(await waiter.otherWaiting('delivery')).toBeNull();
      // Each try replaces the last.
      ms += 100;
      await waiter.markWaiting('delivery', 'sync');
      expect((await holder.otherWaiting('delivery'))?.acquiredAt).toBe('2026-12-06T10:00:00.100Z');
      // A mark is no lock: neither the lock it waits for nor another is held by it.
      expect(await holder.otherWaiting('import')).toBeNull();
      expect(await holder.lockHolder('delivery')).toBeNull();
      expect(await holder.acquireLock('delivery', 'replay')).toBeNull();
      await holder.releaseLock('delivery');
      // Clearing takes back one's own mark only.
      await holder.clearWaiting('delivery');
      expect(await holder.otherWaiting('delivery')).not.toBeNull();
      await waiter.clearWaiting('delivery');
      expect(await holder.otherWaiting('delivery')).toBeNull();
    } finally {
      await holder.close();
      await waiter.close();
    }
  });
});
