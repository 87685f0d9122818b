// Scores redaction over a labelled corpus (test/fixtures/pii/corpus.json): recall on the PII (each
// value gone, its kind's marker in its place) and false positives on the traps (a trap text that
// comes out changed at all). The test holds the figures; `npm run bench -- --redaction` prints them.

import { marker, REDACT_KINDS } from './kinds.js';
import { redactText } from './redactor.js';

export interface PiiCorpus {
  pii: { kind: string; value: string; text: string; note?: string }[];
  traps: { kind: string; text: string }[];
}

export interface RedactionScore {
  pii: number;
  found: number;
  recall: number;
  traps: number;
  changed: number;
  falsePositiveRate: number;
  /** What was missed and what was changed, for the failure message. */
  misses: string[];
  falsePositives: string[];
}

export function scoreRedaction(corpus: PiiCorpus, redact: (text: string) => string = (t) => redactText(t, REDACT_KINDS)): RedactionScore {
  const misses: string[] = [];
  for (const sample of corpus.pii) {
    const out = redact(sample.text);
    if (out.includes(sample.value) || !out.includes(marker(sample.kind))) misses.push(`${sample.kind} ${sample.note ?? ''}: ${sample.text} -> ${out}`);
  }
  const falsePositives: string[] = [];
  for (const trap of corpus.traps) {
    const out = redact(trap.text);
    if (out !== trap.text) falsePositives.push(`${trap.kind}: ${trap.text} -> ${out}`);
  }
  const found = corpus.pii.length - misses.length;
  return {
    pii: corpus.pii.length,
    found,
    recall: corpus.pii.length ? found / corpus.pii.length : 1,
    traps: corpus.traps.length,
    changed: falsePositives.length,
    falsePositiveRate: corpus.traps.length ? falsePositives.length / corpus.traps.length : 0,
    misses,
    falsePositives,
  };
}
