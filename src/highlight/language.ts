// The language of a Highlight's text (ISO 639-1), from eld, a maintained n-gram detector (its
// "small" database: 1.6 MB, 60 languages, about 0.1 ms per text). Short texts ("ok thanks",
// "+1") are guessed wrong often enough that a wrong code would route them wrongly, so below
// MIN_LETTERS letters, or when eld itself calls the result unreliable, the language is null.

/** What mapping needs of a detector: the text's ISO 639-1 code or null (a pure function once loaded). */
export type LanguageDetector = (text: string) => string | null;

type Eld = typeof import('eld/small')['eld'];
let loading: Promise<LanguageDetector> | null = null;

/**
 * eld's n-gram database is 1.6 MB of JavaScript: loaded once, when a run first maps a conversation,
 * so `status`, `--version` and a sync with nothing new never pay for it.
 */
export function loadLanguageDetector(): Promise<LanguageDetector> {
  loading ??= import('eld/small').then(({ eld }) => (text: string) => detectWith(eld, text));
  return loading;
}

/** Letters (not digits, markers or URLs) a text needs before its language is named. */
export const MIN_LETTERS = 20;
/** More text than this adds nothing to the guess and only costs time. */
const MAX_INPUT = 2_000;

const NOISE = /\[[a-z][a-z0-9_-]{0,31}\]|https?:\/\/\S+|\S+@\S+/giu;

function detectWith(eld: Eld, text: string): string | null {
  const sample = text.slice(0, MAX_INPUT).replace(NOISE, ' ');
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  // CJK scripts carry a word in one or two letters.
  const enough = letters >= MIN_LETTERS || (letters >= 6 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(sample));
  if (!enough) return null;
  const result = eld.detect(sample);
  return result.language && result.isReliable() ? result.language : null;
}
