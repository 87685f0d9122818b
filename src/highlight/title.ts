import { oneLine } from './one-line.js';
import { isGreeting } from './reply-markers.js';
import { truncate } from './truncate.js';

const MAX_TITLE_LENGTH = 200;
const NO_SUBJECT = '(no subject)';

/**
 * Reply and forward prefixes mail clients add, in the languages of reply-markers.ts and a few more
 * (Re, Fwd, FW, AW/WG German, SV Nordic, TR/Réf. French, RV/RE Spanish, R/I Italian, Antw Dutch,
 * Odp Polish), with a counter such as "Re[2]:"; repeated ones all go.
 */
const REPLY_PREFIX = /^\s*(?:(?:re|fwd?|aw|wg|sv|vs|tr|rv|enc|antw|odp|r|i)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]|réf\s*\.\s*:?|ref\s*[:.])\s*/iu;

/**
 * The subject without reply/forward prefixes; when that is blank, the first line of the message
 * text with real content (a greeting such as "Hi," or "Hello Maria," is skipped); when both are
 * blank, "(no subject)". At most 200 characters, ending with "…" when cut.
 */
export function deriveTitle(subject: unknown, text: string): string {
  const title = withoutReplyPrefixes(oneLine(subject)) || firstContentLine(text) || NO_SUBJECT;
  return truncate(title, MAX_TITLE_LENGTH);
}

export function withoutReplyPrefixes(subject: string): string {
  let rest = subject;
  for (let match = REPLY_PREFIX.exec(rest); match && match[0].length > 0; match = REPLY_PREFIX.exec(rest)) {
    rest = rest.slice(match[0].length);
  }
  return rest.trim();
}

function firstContentLine(text: string): string {
  let fallback = '';
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = oneLine(text.slice(start, end));
    if (line && !isGreeting(line)) return line;
    fallback ||= line;
    start = end + 1;
  }
  return fallback;
}
