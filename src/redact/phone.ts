import { createRequire } from 'node:module';
import type { Span } from './kinds.js';

// Loaded on first use (its CommonJS build, synchronously): the full numbering-plan metadata is large,
// and a run without phone redaction, or a command that never redacts, must not pay for it at start-up.
type FindNumbers = typeof import('libphonenumber-js/max').findNumbers;
let findNumbers: FindNumbers | null = null;
const load = (): FindNumbers => (findNumbers ??= (createRequire(import.meta.url)('libphonenumber-js/max') as { findNumbers: FindNumbers }).findNumbers);

// International numbers only: a number written with its country code ("+44 20 7946 0958",
// "0049 30 901820", "+49 (0)30 901820"). Without a country code a digit run is as likely an order
// number, a timestamp or an amount as a phone number. libphonenumber checks each candidate against
// the country's numbering plan at leniency POSSIBLE (a length the country's plan allows): VALID,
// its default, also drops real numbers its metadata does not list as assigned yet (a new Chinese
// mobile range, the UK's 07700 900xxx), and with the country code required POSSIBLE adds no false
// positive on the trap set.
// The "00" international prefix is read as "+" (same length, so offsets stay true).
// Only a "00" that starts a number: not one inside a number's groups ("+86 138 0013 8000").
const DOUBLE_ZERO = /(?<![\p{N}+][ .()/-]{0,2})(?<!\p{N})00(?=[1-9])/gu;

/** Cheap first look: no "+" and no "00" before a digit means no international number to find. */
const MAY_HOLD = /\+|(?<!\p{N})00[1-9]/u;

export function findPhones(text: string): Span[] {
  if (!MAY_HOLD.test(text)) return [];
  const scanned = text.replace(DOUBLE_ZERO, ' +');
  // `leniency` is a documented option the type declarations leave out.
  const found = load()(scanned, { v2: true, leniency: 'POSSIBLE' } as unknown as { v2: true });
  return found.map((n) => {
    // A "00" prefix became " +": the span starts at the first zero.
    const start = scanned[n.startsAt] === '+' && text.slice(n.startsAt - 1, n.startsAt + 1) === '00' ? n.startsAt - 1 : n.startsAt;
    return { start, end: n.endsAt, kind: 'phone' };
  });
}
