// Suggests what a user probably meant: a config key, a flag, a command, an enum value, or one of
// Front's inbox and tag names. Names are compared without case, accents, emoji or punctuation, so
// "urgent" finds "Urgent 🔥" and "billing" finds "Billing".

import { itemAt } from './item-at.js';

/** Lower case, accents and emoji dropped, runs of anything but letters and digits as one space. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toLowerCase();
}

/** The closest of `known` to `typed`, when it is close enough to be a likely typo. */
export function closestKey(typed: string, known: readonly string[]): string | null {
  return nearest(typed, known, 1)[0] ?? null;
}

/**
 * Up to `limit` of `known`, nearest first, that `typed` plausibly means: the same name once
 * normalized, a name that starts with or contains it, or one a few edits away.
 */
export function nearest(typed: string, known: readonly string[], limit = 3): string[] {
  const wanted = normalizeName(typed);
  const scored: { name: string; score: number }[] = [];
  for (const name of known) {
    const candidate = normalizeName(name);
    if (candidate === '' || wanted === '') continue;
    const distance = editDistance(wanted, candidate);
    const tolerance = Math.max(2, Math.floor(Math.max(candidate.length, wanted.length) / 3));
    // A containment is a near miss however long the rest is ("urgent" in "urgent escalation").
    const contained = wanted.length >= 3 && (candidate.includes(wanted) || wanted.includes(candidate));
    if (distance <= tolerance) scored.push({ name, score: distance });
    else if (contained) scored.push({ name, score: tolerance + 1 });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** "Did you mean X?" / "Did you mean X or Y?" for a message's own line, or null when nothing is near. */
export function didYouMean(typed: string, known: readonly string[], limit = 3): string | null {
  const names = nearest(typed, known, limit);
  if (names.length === 0) return null;
  const listed = names.length === 1 ? itemAt(names, 0) : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `Did you mean ${listed}?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = itemAt(previous, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(itemAt(previous, j) + 1, itemAt(current, j - 1) + 1, substitution);
    }
    previous = current;
  }
  return itemAt(previous, b.length);
}
