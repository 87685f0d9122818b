// How fast V8 may grow the heap. By default it grows a small heap by up to 4x after each full
// collection, so most of a long run's peak memory was garbage not yet collected: a 5,000-conversation
// backfill peaked at 283 MB RSS with 43 MB live after a collection. Growing it by 20% a step gave
// 178 MB, and 203 MB at 50,000 conversations instead of 358 (`npm run bench:memory`). It sets no
// limit: a large message still gets the memory it needs.
// The price is more collections: about 9% more CPU for a 1,200-conversation backfill, whose peak
// (under 200 MB either way) was never the problem. So the step is held to 20% only once the heap
// has passed LARGE_HEAP_BYTES: a cron sync or a small backfill keeps V8's default and its CPU.

export const LARGE_HEAP_BYTES = 64 * 1024 * 1024;
const CHECK_EVERY_MS = 200;
export const BOUNDED_GROWTH_FLAG = '--heap-growing-percent=20';

export interface HeapWatch {
  heapBytes(): number;
  setFlag(flag: string): void;
  /** A repeating timer that never keeps the process alive; returns how to stop it. */
  every(ms: number, tick: () => void): () => void;
}

// node:v8 is taken when the flag is set, not at start-up: loading it (with the heap utilities it
// brings) was about 1.5 ms of every command line, and the heap's size is in process.memoryUsage().
const v8Heap: HeapWatch = {
  heapBytes: () => process.memoryUsage().heapTotal,
  setFlag: (flag) => process.getBuiltinModule('node:v8').setFlagsFromString(flag),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** Watches the heap and bounds its growth once, when it has become large. */
export function boundHeapGrowthWhenLarge(watch: HeapWatch = v8Heap): void {
  const stop = watch.every(CHECK_EVERY_MS, () => {
    if (watch.heapBytes() < LARGE_HEAP_BYTES) return;
    watch.setFlag(BOUNDED_GROWTH_FLAG);
    stop();
  });
}
