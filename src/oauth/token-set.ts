// An OAuth token set as front-import keeps it, and how Front's token answer becomes one. Front
// answers `expires_at` (unix seconds) where generic OAuth clients expect `expires_in`; both are
// read, and an `expires_at` that is plainly in milliseconds is taken as such, so no reading of an
// undocumented detail can make a token look valid for 1,000 times its life.

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms on Front's clock (as Front stated it). */
  expiresAt: number;
  /** When this access token was obtained (epoch ms), to know its lifetime. */
  obtainedAt: number;
  /** When the refresh token was last used successfully, or first obtained (epoch ms). */
  refreshedAt: number;
  /** The Front app (client id) and API these tokens belong to. */
  clientId: string;
  apiUrl: string;
}

export class TokenAnswerError extends Error {}

/** Front's answer to /oauth/token -> the parts of a token set it gives. */
export function tokenSetFromAnswer(
  json: unknown,
  nowMs: number,
  previousRefreshToken: string | null,
): Pick<TokenSet, 'accessToken' | 'refreshToken' | 'expiresAt' | 'obtainedAt'> {
  const body = (json ?? {}) as Record<string, unknown>;
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw new TokenAnswerError('the token answer has no access_token');
  // "the same, or a new" refresh token: an answer without one keeps the one just used.
  const refreshToken = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : previousRefreshToken;
  if (!refreshToken) throw new TokenAnswerError('the token answer has no refresh_token');
  return { accessToken, refreshToken, expiresAt: expiryOf(body, nowMs), obtainedAt: nowMs };
}

const MS_THRESHOLD = 1e12;

function expiryOf(body: Record<string, unknown>, nowMs: number): number {
  const at = Number(body.expires_at);
  if (Number.isFinite(at) && at > 0) return at > MS_THRESHOLD ? at : at * 1000;
  const inSeconds = Number(body.expires_in);
  if (Number.isFinite(inSeconds) && inSeconds > 0) return nowMs + inSeconds * 1000;
  throw new TokenAnswerError('the token answer says neither expires_at nor expires_in');
}

const REFRESH_AHEAD_MAX_MS = 5 * 60_000;

/** Refresh when less than min(5 minutes, half its lifetime) is left. */
export function refreshDue(set: TokenSet, nowMs: number): boolean {
  const lifetime = Math.max(0, set.expiresAt - set.obtainedAt);
  return set.expiresAt - nowMs < Math.min(REFRESH_AHEAD_MAX_MS, lifetime / 2);
}
