// One Redactor per run, built from highlights.redact and highlights.pseudonymize: what turns a
// text, a person or a raw Front message into the form that may be stored and sent.

import { createHash } from 'node:crypto';
import { findCards } from './card.js';
import { findEmails } from './email.js';
import { findIbans } from './iban.js';
import { findIps } from './ip.js';
import { marker, REDACT_KINDS, type RedactKind, type Span } from './kinds.js';
import { findPattern, type CompiledPattern, type PatternSpec } from './patterns.js';
import { findPhones } from './phone.js';
import { pseudonymizer, type Pseudonymize } from './pseudonym.js';

export interface RedactSettings {
  kinds: RedactKind[];
  patterns: PatternSpec[];
  pseudonymize: boolean;
}

export const NO_REDACTION: RedactSettings = { kinds: [], patterns: [], pseudonymize: false };

const FINDERS: Record<RedactKind, (text: string) => Span[]> = {
  email: findEmails,
  phone: findPhones,
  card: findCards,
  iban: findIbans,
  ip: findIps,
};

export interface Redactor {
  /** False when nothing is redacted: callers skip the work. */
  readonly active: boolean;
  /** A digest of the settings (not the key) for the Highlight version; null when off. */
  readonly fingerprint: string | null;
  text(text: string): string;
  /** Names and addresses of people: pseudonymized, or as they are. */
  person(value: string): string;
  /** The markers this redactor writes, to count them in a Highlight. */
  readonly markers: { kind: string; marker: string }[];
}

export const IDENTITY: Redactor = { active: false, fingerprint: null, text: (t) => t, person: (v) => v, markers: [] };

/**
 * `patterns` compiled already (config/schema.ts refuses an unsafe one); `key` is
 * FRONT_IMPORT_PII_KEY, required when pseudonymize is on.
 */
export function createRedactor(settings: RedactSettings, patterns: CompiledPattern[], key: string | null): Redactor {
  const kinds = REDACT_KINDS.filter((k) => settings.kinds.includes(k));
  if (kinds.length === 0 && patterns.length === 0 && !settings.pseudonymize) return IDENTITY;
  if (settings.pseudonymize && !key) throw new Error('pseudonymize needs a key');
  const pseudonym: Pseudonymize | null = settings.pseudonymize && key ? pseudonymizer(key) : null;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ kinds, patterns: settings.patterns.map((p) => [p.name, p.regex]), pseudonymize: settings.pseudonymize }))
    .digest('hex');
  return {
    active: true,
    fingerprint,
    text: (text) => redactText(text, kinds, patterns),
    person: (value) => (pseudonym && value ? pseudonym(value) : value),
    markers: [...kinds, ...patterns.map((p) => p.name)].map((kind) => ({ kind, marker: marker(kind) })),
  };
}

/** Every value found replaced by its marker; where two findings overlap the earlier (then longer) wins. */
export function redactText(text: string, kinds: readonly RedactKind[], patterns: readonly CompiledPattern[] = []): string {
  if (!text) return text;
  const spans = [...kinds.flatMap((k) => FINDERS[k](text)), ...patterns.flatMap((p) => findPattern(text, p))];
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + marker(span.kind);
    at = span.end;
  }
  return out + text.slice(at);
}

/** How many of each marker the texts hold: the redactions a Highlight carries. */
export function countMarkers(redactor: Redactor, texts: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind, marker: m } of redactor.markers) {
    let n = 0;
    for (const text of texts) {
      for (let i = text.indexOf(m); i !== -1; i = text.indexOf(m, i + m.length)) n++;
    }
    if (n > 0) counts[kind] = n;
  }
  return counts;
}
