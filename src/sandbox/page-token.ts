// Opaque page tokens: a keyset position (never an offset), base64url-encoded so clients treat it as
// a blob and follow `next` as given.

export interface ActivityPosition {
  updatedMs: number;
  id: string;
}

export interface EventPosition {
  emittedMs: number;
  id: string;
}

/** `ms` is the position's time (updated_at or emitted_at; 0 for lists keyed on the id alone). */
export function encodePageToken(ms: number, id: string): string {
  return Buffer.from(JSON.stringify([ms, id]), 'utf8').toString('base64url');
}

/** The position a token carries, or null when it is not one of ours. */
export function decodePageToken(token: string): { ms: number; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [ms, id] = value as unknown[];
    return typeof ms === 'number' && Number.isFinite(ms) && typeof id === 'string' ? { ms, id } : null;
  } catch {
    return null;
  }
}
