import type { Span } from './kinds.js';

// Written by hand (a few lines; card-validation libraries check one number, not prose): 13-19
// digits, optionally grouped by single spaces or hyphens, that pass the Luhn check AND start with
// a card scheme's issuer prefix. The prefix check is what leaves timestamps in milliseconds
// (17…), order and tracking numbers alone: a random digit run passes Luhn one time in ten.
// Not next to more digit groups: a longer number (a 22-digit tracking number) is not cut to a card.
const CANDIDATE = /(?<![\p{N}.,]|\d[ -])\d(?:[ -]?\d){12,18}(?![\p{N}]|[.,]\d|[ -]\d)/gu;

/** Issuer prefixes (IIN ranges) of the major schemes with their lengths. */
const SCHEMES: { prefix: RegExp; lengths: number[] }[] = [
  // Visa's retired 13-digit numbers are left out: they collide with EAN-13 barcodes (400-440: Germany).
  { prefix: /^4/, lengths: [16, 19] }, // Visa
  { prefix: /^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/, lengths: [16] }, // Mastercard
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(6011|65|64[4-9])/, lengths: [16, 17, 18, 19] }, // Discover
  { prefix: /^35(2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] }, // JCB
  { prefix: /^(30[0-5]|36|38|39)/, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { prefix: /^62/, lengths: [16, 17, 18, 19] }, // UnionPay
  { prefix: /^(5018|5020|5038|5893|6304|6759|676[1-3])/, lengths: [13, 14, 15, 16, 17, 18, 19] }, // Maestro
];

export function isCardNumber(digits: string): boolean {
  if (!SCHEMES.some((s) => s.prefix.test(digits) && s.lengths.includes(digits.length))) return false;
  return luhn(digits);
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function findCards(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    // Mixed separators ("1234-5678 9012") are not how a card is written; a date range is.
    if (/-/.test(m[0]) && / /.test(m[0])) continue;
    if (isCardNumber(m[0].replace(/[ -]/g, ''))) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'card' });
  }
  return spans;
}
