// Tokens and what each may read. Tokens are derived from the seed, so a sandbox restarted with the
// same seed accepts the same tokens, yet they look random and reveal nothing about their scope.

import { createHash } from 'node:crypto';
import type { TokenLabel } from './types.js';

export const TOKEN_LABELS: readonly TokenLabel[] = ['full', 'noPrivate', 'noEvents', 'revoked'];

export interface Access {
  privateInboxes: boolean;
  events: boolean;
}

export const FULL_ACCESS: Access = { privateInboxes: true, events: true };

const ACCESS: Record<Exclude<TokenLabel, 'revoked'>, Access> = {
  full: FULL_ACCESS,
  noPrivate: { privateInboxes: false, events: true },
  noEvents: { privateInboxes: true, events: false },
};

export function deriveTokens(seed: number | string): Record<TokenLabel, string> {
  const token = (label: TokenLabel) =>
    `sbx_${createHash('sha256').update(`front-import sandbox\u0000${seed}\u0000${label}`).digest('base64url').slice(0, 40)}`;
  return { full: token('full'), noPrivate: token('noPrivate'), noEvents: token('noEvents'), revoked: token('revoked') };
}

export type Identified =
  | { label: Exclude<TokenLabel, 'revoked'>; access: Access }
  | { label: 'revoked' | 'unknown' | 'none'; access: null };

/** Who is calling, from the Authorization header. Unknown and revoked tokens get no access. */
export function identify(authorization: string | undefined, tokens: Record<TokenLabel, string>): Identified {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return { label: 'none', access: null };
  const label = TOKEN_LABELS.find((l) => tokens[l] === match[1]);
  if (!label) return { label: 'unknown', access: null };
  if (label === 'revoked') return { label, access: null };
  return { label, access: ACCESS[label] };
}

