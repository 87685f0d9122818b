// Company-specific ids (`highlights.redact.patterns`): a user's regular expression runs over every
// Highlight, so a pattern that can backtrack catastrophically ("(a+)+$") would let one message
// stall a run. Two guards: a pattern whose star height is above one (a quantified group holding a
// quantifier, the shape of every classic ReDoS) is refused when the config is read, by
// safe-regex2; and each match call sees at most MAX_INPUT characters (a line, cut into slices), so
// even a pattern that slips through stays bounded per call.

import safeRegex from 'safe-regex2';
import type { Span } from './kinds.js';

export const MAX_INPUT = 1000;

export interface PatternSpec {
  name: string;
  regex: string;
}

export interface CompiledPattern {
  name: string;
  regex: RegExp;
}

/** The compiled pattern, or why it is refused (one line, for the config error). */
export function compilePattern(spec: PatternSpec): CompiledPattern | string {
  let regex: RegExp;
  try {
    regex = new RegExp(spec.regex, 'gu');
  } catch (err) {
    return `not a valid regular expression (${(err as Error).message})`;
  }
  if (!safeRegex(regex)) return 'may backtrack catastrophically (a quantified group inside a quantifier, e.g. "(a+)+"); rewrite it without nested repetition';
  if (regex.test('')) return 'matches the empty string';
  return { name: spec.name, regex };
}

export function findPattern(text: string, pattern: CompiledPattern): Span[] {
  const spans: Span[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    for (let at = 0; at < line.length; at += MAX_INPUT) {
      const slice = line.slice(at, at + MAX_INPUT);
      for (const m of slice.matchAll(pattern.regex)) {
        if (m[0].length > 0) spans.push({ start: offset + at + m.index, end: offset + at + m.index + m[0].length, kind: pattern.name });
      }
    }
    offset += line.length + 1;
  }
  return spans;
}
