// A destination's identity, which owns its delivery state: the canonical URL (scheme and host lower
// case, default port dropped, no credentials, fragment or secret query parameters, the rest of the
// query sorted) or the absolute file path. Tokens are never part of it, so rotating a token does
// not make a destination "new", and the key can be stored and printed. Which parameters are
// secret is the one rule of shared/secret-params.ts (exact names): every other parameter stays, so
// `?region_code=eu` and `?region_code=us` are two destinations.

import { resolve } from 'node:path';
import type { DestinationSettings } from './types.js';
import { isSecretParam, secretParamNames } from '../shared/secret-params.js';

export const STDOUT_KEY = 'stdout';

export function destinationKey(settings: DestinationSettings): string {
  if (settings.type === 'ndjson') return settings.path === '-' ? STDOUT_KEY : resolve(settings.path);
  return canonicalUrl(settings.url);
}

export function canonicalUrl(raw: string): string {
  return canonical(raw, isSecretParam);
}

/** The query parameters left out of this destination's identity (and never stored): their names. */
export function droppedFromIdentity(settings: DestinationSettings): string[] {
  return settings.type === 'http' ? secretParamNames(settings.url) : [];
}

/**
 * The identity this URL had before the exact list: every parameter whose name merely contained one
 * of these words was dropped. States written then keep their delivery state under that key, which
 * the first run of the destination takes over (store role Deliveries.renameDestination).
 */
const FORMER_SECRET_PARAM = /token|key|secret|sig|auth|pass|credential|session|code/i;

export function formerCanonicalUrl(raw: string): string {
  return canonical(raw, (name) => FORMER_SECRET_PARAM.test(name));
}

function canonical(raw: string, isDropped: (name: string) => boolean): string {
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  url.hash = '';
  const kept = new URLSearchParams([...url.searchParams].filter(([name]) => !isDropped(name)));
  kept.sort();
  url.search = kept.toString();
  return url.toString();
}
