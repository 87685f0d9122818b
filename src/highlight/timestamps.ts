// Latest instant accepted: 9999-12-31T23:59:59Z. Beyond it toISOString switches to a 6-digit year
// and a millisecond value sent by mistake (1.7e12) lands there, so both count as missing.
const MAX_UNIX_SECONDS = 253402300799;

/**
 * Front's unix seconds (fractional) -> ISO 8601 UTC with milliseconds, or null when the value is
 * missing, not a finite number, or absurd (not after 1970, or past year 9999).
 */
export function unixSecondsToIso(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value <= 0 || value > MAX_UNIX_SECONDS) return null;
  return new Date(value * 1000).toISOString();
}
