// The language of a Highlight's text (ISO 639-1), from eld, a maintained n-gram detector (its
// "small" database: 1.6 MB, 60 languages, about 0.1 ms per text). Short texts ("ok thanks",
// "+1") are guessed wrong often enough that a wrong code would route them wrongly, so below
// MIN_LETTERS letters, or when eld itself calls the result unreliable, the language is null.

import { eld } from 'eld/small';

/** Letters (not digits, markers or URLs) a text needs before its language is named. */
export const MIN_LETTERS = 20;
/** More text than this adds nothing to the guess and only costs time. */
const MAX_INPUT = 2_000;

const NOISE = /\[[a-z][a-z0-9_-]{0,31}\]|https?:\/\/\S+|\S+@\S+/giu;

export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, MAX_INPUT).replace(NOISE, ' ');
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  // CJK scripts carry a word in one or two letters.
  const enough = letters >= MIN_LETTERS || (letters >= 6 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(sample));
  if (!enough) return null;
  const result = eld.detect(sample);
  return result.language && result.isReliable() ? result.language : null;
}
