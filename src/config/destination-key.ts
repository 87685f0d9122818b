// A destination's identity, which owns its delivery state: the canonical URL (scheme and host lower
// case, default port dropped, no credentials, fragment or secret-looking query parameters, the
// rest of the query sorted) or the absolute file path. Tokens are never part of it, so rotating a
// token does not make a destination "new", and the key can be stored and printed.

import { resolve } from 'node:path';
import type { DestinationSettings } from './types.js';

export const STDOUT_KEY = 'stdout';

const SECRET_PARAM = /token|key|secret|sig|auth|pass|credential|session|code/i;

export function destinationKey(settings: DestinationSettings): string {
  if (settings.type === 'ndjson') return settings.path === '-' ? STDOUT_KEY : resolve(settings.path);
  return canonicalUrl(settings.url);
}

export function canonicalUrl(raw: string): string {
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  url.hash = '';
  const kept = new URLSearchParams([...url.searchParams].filter(([name]) => !SECRET_PARAM.test(name)));
  kept.sort();
  url.search = kept.toString();
  return url.toString();
}
