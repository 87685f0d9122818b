// Is this line the "On Mon, Nov 30, 2026, Ada <ada@…> wrote:" that introduces a quote?
// email-reply-parser keeps the best-maintained table of these lines (English, French, Spanish,
// Italian, Portuguese, German, Dutch, Polish, Scandinavian, Finnish, Russian, Chinese, Korean,
// Japanese Apple Mail/Outlook forms), so it decides first. Its fragmenting is not used to cut: it
// hides every `>` block, also one pasted in the middle of prose, and treats "Cheers," as the start of a
// signature, both of which would drop the writer's own words.

import EmailReplyParser from 'email-reply-parser';
import { WROTE, WROTE_LAST_WORDS, WROTE_ON } from './reply-markers.js';
import { itemAt } from '../shared/item-at.js';

const parser = new EmailReplyParser();
/** Attribution lines are short; a longer line is prose, and bounding it bounds the regex work. */
const MAX_ATTRIBUTION_LENGTH = 300;
const EMAIL = /[^\s<>()[\]@]+@[^\s<>()[\]@]+\.[^\s<>()[\]@]+/u;
const TIME = /\b\d{1,2}[:h.]\d{2}\b/u;
const YEAR = /(?:19|20)\d{2}/u;
/** Zoho and some webmails frame the attribution in dashes: "---- On … wrote ----". */
const FRAME_CHARS = new Set(['-', '=', '_', '*', ' ', '\t']);

/** The line without a frame of dashes, equals signs, underscores or stars (a loop: no regex backtracking). */
function unframe(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && FRAME_CHARS.has(itemAt(line, start))) start++;
  while (end > start && FRAME_CHARS.has(itemAt(line, end - 1))) end--;
  return line.slice(start, end);
}

function lastWord(line: string): string {
  return line.slice(line.lastIndexOf(' ') + 1).toLowerCase().replace(/[:：]$/u, '');
}

export function isAttribution(line: string): boolean {
  const candidate = usable(line);
  return candidate !== null && (libraryRecognises(candidate) || looksLikeAttribution(candidate) || isHistoryAttribution(candidate));
}

/**
 * An attribution sure enough to cut the unquoted text under it as history (a top post whose client
 * quoted without `>`): the library knows it, or it ends with a colon or a "wrote" verb and names a
 * date or time together with an address or that verb. A writer's own "I wrote to you on Monday:"
 * or "Contact me at ada@acme.example, the log:" is neither.
 */
export function isHistoryAttribution(line: string): boolean {
  const candidate = usable(line);
  if (candidate === null) return false;
  const unframed = unframe(candidate);
  if (/^\d/u.test(unframed) && GMAIL_NUMERIC.test(unframed)) return true;
  // Every other attribution ends with a colon or its verb: checked first, cheaply, so the regexes
  // and the library see few lines and a long message stays cheap.
  const colon = /[:：]$/u.test(unframed);
  if (!colon && !(WROTE_LAST_WORDS.has(lastWord(unframed)) && WROTE.test(unframed))) return false;
  if (colon && WROTE_ON.test(unframed) && YEAR.test(unframed)) return true;
  if (libraryRecognises(candidate)) return true;
  const dated = YEAR.test(unframed) || TIME.test(unframed);
  const wrote = WROTE.test(unframed);
  return (dated && (EMAIL.test(unframed) || wrote)) || (wrote && EMAIL.test(unframed));
}

/**
 * Old Gmail's "2013/11/1 Ada Lovelace <ada@acme.example>" (a numeric date first, an address, no
 * colon), also wrapped: an attribution above a `>` block, never on its own.
 */
export function isDatePersonLine(line: string): boolean {
  const candidate = usable(line);
  return candidate !== null && NUMERIC_DATE_FIRST.test(candidate) && EMAIL.test(candidate);
}

/**
 * The writer's text before an attribution that starts mid-line ("reply On Wed, Apr 4, 2012 at 3:59
 * PM, bob@example.com wrote:", Yahoo's "… bla--- On …"), or null when the line holds none. The
 * attribution part must be one the library knows on its own, so a sentence that merely ends in
 * "wrote:" keeps every word.
 */
export function ownTextBeforeAttribution(line: string): string | null {
  const candidate = usable(line);
  if (candidate === null || !(/[:：]$/u.test(candidate) || WROTE.test(candidate)) || libraryRecognises(candidate)) return null;
  for (const match of candidate.matchAll(MID_LINE_START)) {
    const at = match.index + match[0].length;
    const own = candidate.slice(0, at).replace(/[\s-]+$/u, '');
    if (own && libraryRecognises(candidate.slice(at))) return own;
  }
  return null;
}

/** Where an attribution may start inside a line: after a space or a dash rule, at a capital. */
const MID_LINE_START = /(?:\s|-{2,}\s*)(?=\p{Lu})/gu;

function usable(line: string): string | null {
  const candidate = line.trim();
  return !candidate || candidate.length > MAX_ATTRIBUTION_LENGTH || candidate.startsWith('>') ? null : candidate;
}

/**
 * The library parses a whole message for each question (about 0.4 ms), so one message asks it at
 * most LIBRARY_BUDGET times, and the same line once; past that only our own shapes decide. A
 * message of thousands of attribution-like lines then costs what a short one does.
 * beginMessage() resets both; ownWords calls it first (synchronously, so messages never mix).
 */
const LIBRARY_BUDGET = 64;
let budget = LIBRARY_BUDGET;
const asked = new Map<string, boolean>();

export function beginMessage(): void {
  budget = LIBRARY_BUDGET;
  asked.clear();
}

/** The library absorbs a line it recognises as a quote header into the quoted fragment after it. */
function libraryRecognises(candidate: string): boolean {
  const known = asked.get(candidate);
  if (known !== undefined) return known;
  if (budget <= 0) return false;
  budget--;
  const fragments = parser.read(`${candidate}\n> …`).getFragments();
  const answer = fragments.length === 1 && itemAt(fragments, 0).isQuoted();
  asked.set(candidate, answer);
  return answer;
}

/**
 * What every client's attribution shares, for the forms the library's table misses (Gmail's
 * Japanese "2026年11月30日(月) 10:00 Ada <ada@…>:", Swedish "Den … skrev …:"): it ends with a colon
 * and names an address or a time with a year. A writer's own "I wrote to you yesterday:" has
 * neither, so it is not taken for one.
 */
function looksLikeAttribution(candidate: string): boolean {
  // "---- Ada Lovelace wrote ----" (Android's mail app, Zoho) and "2011/4/7 Ada <ada@…>" (old
  // Gmail) have no colon.
  if (FRAMED.test(candidate) && WROTE.test(unframe(candidate))) return true;
  if (NUMERIC_DATE_FIRST.test(candidate) && EMAIL.test(candidate)) return true;
  if (!/[:：]$/u.test(candidate)) return false;
  return EMAIL.test(candidate) || (TIME.test(candidate) && YEAR.test(candidate));
}

const FRAMED = /^-{2,}.*-{2,}$/u;
/**
 * Gmail's old numeric attribution, with no colon: "2016-03-03 17:21 GMT+01:00 Ada Lovelace" (a
 * date, a time, a zone, then only capitalised words or an address). A log line's words after its
 * time are not all capitalised.
 */
const GMAIL_NUMERIC = /^\d{4}[-/]\d{1,2}[-/]\d{1,2} \d{1,2}:\d{2}(?::\d{2})? (?:GMT|UTC)?[+-]\d{2}:?\d{2}(?: \p{Lu}[\p{L}'’-]*){1,4}(?: <[^<>\s]+@[^<>\s]+>)?$/u;
const NUMERIC_DATE_FIRST = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s/u;
