// The one backoff policy, for every retry loop (Front client, HTTP destination, webhook worker):
// exponential with "equal jitter" (half fixed, half random), so clients that failed together do not
// retry in lockstep, yet every retry waits at least half its step. A server's own wait
// (retry-after) wins when it can be read. Everything is capped so a large retry count or a hostile
// header cannot stall a run for hours.

/** No single wait between attempts is longer than this, whatever retries or retry-after say. */
export const MAX_RETRY_DELAY_MS = 60_000;

/** Wait before retry number `retry` (1 = the first retry): between half and all of base * 2^(retry-1). */
export function backoffDelay(retry: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, retry - 1);
  return Math.min(Math.round(exponential / 2 + (random() * exponential) / 2), MAX_RETRY_DELAY_MS);
}

/**
 * A `retry-after` header in ms: seconds (possibly decimal: the sandbox compresses windows) or an
 * HTTP date; null when absent or unreadable. Not capped: callers that must bound the wait use
 * retryDelay or their own budget.
 */
export function parseRetryAfter(text: string | undefined, now: number): number | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  const seconds = Number(trimmed);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/** The server's retry-after if readable, else the backoff; capped either way. */
export function retryDelay(retry: number, baseMs: number, retryAfter: string | undefined, now: number, random: () => number = Math.random): number {
  const asked = parseRetryAfter(retryAfter, now);
  return asked === null ? backoffDelay(retry, baseMs, random) : Math.min(Math.round(asked), MAX_RETRY_DELAY_MS);
}
