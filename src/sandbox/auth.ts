// Tokens and what each may read. Tokens are derived from the seed, so a sandbox restarted with the
// same seed accepts the same tokens, yet they look random and reveal nothing about their scope.

import { createHash } from 'node:crypto';
import type { TokenLabel } from './types.js';

export const TOKEN_LABELS: readonly TokenLabel[] = ['full', 'noPrivate', 'noEvents', 'noCustomFields', 'revoked'];

export interface Access {
  privateInboxes: boolean;
  events: boolean;
  /** GET /conversations/custom_fields (the conversations still carry their own custom_fields). */
  customFields: boolean;
}

export const FULL_ACCESS: Access = { privateInboxes: true, events: true, customFields: true };

const ACCESS: Record<Exclude<TokenLabel, 'revoked'>, Access> = {
  full: FULL_ACCESS,
  noPrivate: { privateInboxes: false, events: true, customFields: true },
  noEvents: { privateInboxes: true, events: false, customFields: true },
  noCustomFields: { privateInboxes: true, events: true, customFields: false },
};

export function deriveTokens(seed: number | string): Record<TokenLabel, string> {
  const token = (label: TokenLabel) =>
    `sbx_${createHash('sha256').update(`front-import sandbox\u0000${seed}\u0000${label}`).digest('base64url').slice(0, 40)}`;
  return Object.fromEntries(TOKEN_LABELS.map((label) => [label, token(label)])) as Record<TokenLabel, string>;
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

