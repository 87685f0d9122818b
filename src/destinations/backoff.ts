/** No single wait between attempts is longer than this, whatever retries or retry-after say. */
export const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Wait before retry number `retry` (1 = the first retry): "equal jitter" exponential backoff, half of
 * retryBaseMs * 2^(retry-1) fixed and half random, so clients that failed together do not retry in
 * lockstep. A `retry-after` in seconds from the receiver wins over the computed value. Both capped
 * at MAX_RETRY_DELAY_MS so a large retry count or a hostile header cannot stall a run for hours.
 */
export function retryDelayMs(retry: number, baseMs: number, retryAfter: string | undefined, random: () => number): number {
  const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter.trim());
  if (retryAfter?.trim() && Number.isFinite(seconds) && seconds >= 0) {
    return Math.min(Math.round(seconds * 1000), MAX_RETRY_DELAY_MS);
  }
  const exponential = baseMs * 2 ** (retry - 1);
  return Math.min(Math.round(exponential / 2 + (random() * exponential) / 2), MAX_RETRY_DELAY_MS);
}
