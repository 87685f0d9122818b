// The digest of the redaction settings (kinds, patterns, pseudonymize; never the key): part of
// every Highlight's version and what the state records it was redacted with. On its own, without
// the finders, so `status` can compare it without loading the phone-number library.

import { createHash } from 'node:crypto';
import { REDACT_KINDS, type RedactKind } from './kinds.js';

export interface FingerprintSettings {
  kinds: readonly RedactKind[];
  patterns: readonly { name: string; regex: string }[];
  pseudonymize: boolean;
}

/** Null when nothing is redacted. */
export function redactionFingerprint(settings: FingerprintSettings): string | null {
  const kinds = REDACT_KINDS.filter((k) => settings.kinds.includes(k));
  if (kinds.length === 0 && settings.patterns.length === 0 && !settings.pseudonymize) return null;
  return createHash('sha256')
    .update(JSON.stringify({ kinds, patterns: settings.patterns.map((p) => [p.name, p.regex]), pseudonymize: settings.pseudonymize }))
    .digest('hex');
}
