// The heap's growth is bounded once a run's heap is large, and not before (src/cli/heap-growth.ts).

import { describe, expect, it } from 'vitest';
import { BOUNDED_GROWTH_FLAG, boundHeapGrowthWhenLarge, LARGE_HEAP_BYTES } from '../../src/cli/heap-growth.ts';

function fakeHeap() {
  const w = { bytes: 10 * 1024 * 1024, flags: [] as string[], tick: null as (() => void) | null, stopped: false };
  boundHeapGrowthWhenLarge({
    heapBytes: () => w.bytes,
    setFlag: (flag) => w.flags.push(flag),
    every: (_ms, tick) => {
      w.tick = tick;
      return () => {
        w.stopped = true;
      };
    },
  });
  return w;
}

describe('heap growth', () => {
  it("keeps V8's default while the heap is small, however long the run", () => {
    const w = fakeHeap();
    for (let i = 0; i < 100; i++) w.tick!();
    expect(w.flags).toEqual([]);
    expect(w.stopped).toBe(false);
  });

  it('bounds it once the heap passes the threshold, once, and stops watching', () => {
    const w = fakeHeap();
    w.tick!();
    w.bytes = LARGE_HEAP_BYTES;
    w.tick!();
    expect(w.flags).toEqual([BOUNDED_GROWTH_FLAG]);
    expect(w.stopped).toBe(true);
  });
});
