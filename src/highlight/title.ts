import { oneLine } from './one-line.js';
import { truncate } from './truncate.js';

const MAX_TITLE_LENGTH = 200;
const NO_SUBJECT = '(no subject)';

/**
 * The trimmed subject; when it is blank, the first non-empty line of the message text (the whole
 * text, before it is cut to maxTextLength); when both are blank, "(no subject)". At most 200
 * characters, ending with "…" when cut.
 */
export function deriveTitle(subject: unknown, text: string): string {
  const title = oneLine(subject) || firstNonEmptyLine(text) || NO_SUBJECT;
  return truncate(title, MAX_TITLE_LENGTH);
}

function firstNonEmptyLine(text: string): string {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = oneLine(text.slice(start, end));
    if (line) return line;
    start = end + 1;
  }
  return '';
}
