// Opaque page tokens, base64url-encoded so clients treat them as blobs and follow `next` as given.
// Normally a keyset position; in the offset style (a quirk, see quirks.ts) a count of matches to
// skip, which shifts when items before it disappear. Each token carries the generation it was
// issued in, so the sandbox can expire every token issued so far.

export interface ActivityPosition {
  updatedMs: number;
  id: string;
}

export interface EventPosition {
  emittedMs: number;
  id: string;
}

export type TokenPosition = { ms: number; id: string; generation: number } | { offset: number; generation: number };

/** `ms` is the position's time (updated_at or emitted_at; 0 for lists keyed on the id alone). */
export function encodePageToken(ms: number, id: string, generation = 0): string {
  return Buffer.from(JSON.stringify([ms, id, generation]), 'utf8').toString('base64url');
}

export function encodeOffsetToken(offset: number, generation = 0): string {
  return Buffer.from(JSON.stringify({ offset, generation }), 'utf8').toString('base64url');
}

/** The position a token carries, or null when it is not one of ours. */
export function decodePageToken(token: string): TokenPosition | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (Array.isArray(value) && (value.length === 2 || value.length === 3)) {
    const [ms, id, generation = 0] = value as unknown[];
    return isCount(ms, true) && typeof id === 'string' && isCount(generation) ? { ms, id, generation } : null;
  }
  const { offset, generation } = (value ?? {}) as Record<string, unknown>;
  return isCount(offset) && isCount(generation) ? { offset, generation } : null;
}

function isCount(n: unknown, anyFinite = false): n is number {
  return typeof n === 'number' && Number.isFinite(n) && (anyFinite || (Number.isInteger(n) && n >= 0));
}
