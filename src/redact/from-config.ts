import { compilePattern, type CompiledPattern } from './patterns.js';
import { createRedactor, type Redactor } from './redactor.js';
import type { RedactKind } from './kinds.js';

export interface RedactConfig {
  redact: { kinds: RedactKind[]; patterns: { name: string; regex: string }[] };
  pseudonymize: boolean;
  piiKey: string | null;
}

/** The run's Redactor from the resolved highlights.* settings (their patterns were checked when the config was read). */
export function redactorFor(h: RedactConfig): Redactor {
  const patterns = h.redact.patterns.map(compilePattern).filter((p): p is CompiledPattern => typeof p !== 'string');
  return createRedactor({ kinds: h.redact.kinds, patterns: h.redact.patterns, pseudonymize: h.pseudonymize }, patterns, h.piiKey);
}
