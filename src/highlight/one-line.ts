import { tidyText } from './message-text.js';
import { sliceCodeUnits } from './truncate.js';

// No subject, name or handle is legitimately this long; cutting first keeps hostile fields cheap.
const MAX_FIELD_INPUT = 10_000;

/** Untrusted value -> tidied single-line string ("" for non-strings); whitespace runs become one space. */
export function oneLine(value: unknown): string {
  if (typeof value !== 'string') return '';
  return tidyText(sliceCodeUnits(value, MAX_FIELD_INPUT)).replace(/\s+/g, ' ');
}
