// How fast V8 may grow the heap. By default it grows a small heap by up to 4x after each full
// collection, so most of a long run's peak memory was garbage not yet collected: a 5,000-conversation
// backfill peaked at 283 MB RSS with 43 MB live after a collection. Growing it by 20% a step gave
// 178 MB, and 203 MB at 50,000 conversations instead of 358 (`npm run bench:memory`). It sets no
// limit: a large message still gets the memory it needs.
// The price is more collections: about 9% more CPU for a 1,200-conversation backfill, whose peak
// (under 200 MB either way) was never the problem. So the step is held to 20% only once the heap
// has passed LARGE_HEAP_BYTES: a cron sync or a small backfill keeps V8's default and its CPU.

import { getHeapStatistics, setFlagsFromString } from 'node:v8';

const LARGE_HEAP_BYTES = 64 * 1024 * 1024;
const CHECK_EVERY_MS = 200;

/** Watches the heap (a timer that never keeps the process alive) and bounds its growth once it is large. */
export function boundHeapGrowthWhenLarge(): void {
  const timer = setInterval(() => {
    if (getHeapStatistics().total_heap_size < LARGE_HEAP_BYTES) return;
    setFlagsFromString('--heap-growing-percent=20');
    clearInterval(timer);
  }, CHECK_EVERY_MS);
  timer.unref();
}
