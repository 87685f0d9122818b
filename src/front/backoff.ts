// Exponential backoff with full jitter: retries from many clients spread out instead of arriving
// together when Front comes back.

const MAX_BACKOFF_MS = 60_000;

/** Delay before retry number `attempt` (0 for the first retry). */
export function fullJitterDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
