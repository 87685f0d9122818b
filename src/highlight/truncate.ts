const ELLIPSIS = '…';

/**
 * The first `max` UTF-16 code units of `s`, one fewer when the cut would separate the two halves of
 * a surrogate pair (which would leave invalid UTF-16 behind).
 */
export function sliceCodeUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  const end = isHighSurrogate(s.charCodeAt(max - 1)) ? max - 1 : max;
  return s.slice(0, end);
}

/**
 * Cuts `s` to at most `max` UTF-16 code units, ending with "…" when cut. Measured in code units (what
 * `String.length` reports) so every consumer checking a length agrees; never splits a surrogate pair.
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < ELLIPSIS.length) return '';
  return sliceCodeUnits(s, max - ELLIPSIS.length).trimEnd() + ELLIPSIS;
}

/** How far back from the limit a word boundary may be; text without spaces (CJK, a URL) is cut anywhere. */
const WORD_BOUNDARY_REACH = 0.2;

/**
 * Like truncate, but the cut falls between words when a space is near the limit, so the text does
 * not end mid-word ("…" follows the last whole word).
 */
export function truncateAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < ELLIPSIS.length) return '';
  const head = sliceCodeUnits(s, max - ELLIPSIS.length);
  // A space right after the cut means head already ends on a whole word.
  if (/\s/u.test(s[head.length] ?? '')) return head.trimEnd() + ELLIPSIS;
  const boundary = head.search(/\s\S*$/u);
  const cut = boundary >= head.length * (1 - WORD_BOUNDARY_REACH) ? head.slice(0, boundary) : head;
  return cut.trimEnd() + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
