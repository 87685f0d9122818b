import { countrySpecs, isValidIBAN } from 'ibantools';
import type { Span } from './kinds.js';
import { itemAt } from '../shared/item-at.js';

// A country code and two check digits start a candidate; ibantools knows each country's IBAN
// length, so exactly that many letters and digits are taken (single spaces between groups, as IBANs
// are printed), and the result must pass its country's BBAN format and the mod-97 check.
const START = /(?<![\p{L}\p{N}])([A-Z]{2})(\d{2})/gu;

export function findIbans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(START)) {
    const length = countrySpecs[itemAt(m, 1)]?.chars;
    if (!length) continue;
    let compact = m[0];
    let end = m.index + m[0].length;
    while (compact.length < length && end < text.length) {
      const c = itemAt(text, end);
      if (/[A-Za-z0-9]/.test(c)) {
        compact += c.toUpperCase();
        end++;
      } else if (c === ' ' && end + 1 < text.length && /[A-Za-z0-9]/.test(itemAt(text, end + 1))) {
        end++;
      } else break;
    }
    if (compact.length !== length || /[\p{L}\p{N}]/u.test(text[end] ?? '')) continue;
    if (isValidIBAN(compact)) spans.push({ start: m.index, end, kind: 'iban' });
  }
  return spans;
}
