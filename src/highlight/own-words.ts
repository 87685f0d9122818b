// The writer's own words of one message: quoted history, forwarded mail and signature blocks
// removed, everything the writer typed kept. Works on plain text; HTML is converted first by
// htmlToPlain, which marks the quote containers and history separators it recognises from the
// markup (MARKS) so the same rules finish the job for both.
//
// Hand-written because no maintained library does this without dropping own words (see
// attribution.ts for what email-reply-parser is used for, and why its cutting is not): the rules
// here are positional ("a `>` block after an attribution line is a quote, one in prose is not").

import { isAttribution, isKnownAttribution } from './attribution.js';
import { DEVICE_LINE, FROM_LINE, HEADER_LINE, HISTORY_MARKER, SIGN_OFF } from './reply-markers.js';

/** Private-use characters htmlToPlain writes where the markup said a quote or history starts. */
export const MARKS = {
  /** A quote container (gmail_quote, blockquote type=cite, front-blockquote, …); its lines follow, `>`-prefixed. */
  quote: '\uE000',
  /** Everything after this is history (Outlook's divRplyFwdMsg, appendonsend). */
  cut: '\uE001',
  /** A border-top separator: history when a header line ("From: …") follows. */
  softCut: '\uE002',
} as const;
const ANY_MARK = /[\uE000-\uE002]/g;

/** Removes the marks from text that came from outside, so a message cannot forge them. */
export function withoutMarks(s: string): string {
  return s.replace(ANY_MARK, '');
}

/** Lines a header block or separator may be checked over. */
const HEADER_LOOKAHEAD = 6;
/** A signature block ("-- " and below, contact lines under a name) is at most this many lines. */
const MAX_SIGNATURE_LINES = 8;
/** Lines at the end of a message searched for a signature. */
const SIGNATURE_TAIL = 40;
/** Outlook's plain-text rule above a header block. */
const SEPARATOR = /^\s*(?:_{8,}|-{8,}|={8,})\s*$/u;
/** RFC 3676's "-- " (its space is gone once tidied) and the underscores some clients use. */
const SIGNATURE_DELIMITER = /^(?:--|_{2,})\s?$/u;
const CONTACT = /(?:\+?\d[\d\s().\-/]{6,}\d|https?:\/\/|www\.|@[\w-]+\.\w|\|)/iu;

/**
 * Own words of `text` (plain, already tidied), or `text` itself when stripping would leave nothing:
 * a Highlight with the original is better than an empty one.
 */
export function ownWords(text: string): string {
  const lines = text.split('\n');
  const own = trimSignature(dropQuotes(lines.slice(0, historyStart(lines))));
  const result = own.join('\n').trim();
  return result ? result : withoutMarks(text).trim();
}

/**
 * Index of the first line of unquoted history: a history mark, a forwarded/original-message marker,
 * or an Outlook-style header block (From: plus two of Sent/Date/To/Cc/Subject, in any of the
 * languages of reply-markers.ts). A separator line or attribution right above it goes too.
 */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const starts =
      line.includes(MARKS.cut) ||
      (line.includes(MARKS.softCut) && headerFollows(lines, i + 1)) ||
      HISTORY_MARKER.test(line) ||
      (FROM_LINE.test(line) && headerLines(lines, i + 1) >= 2);
    if (!starts) continue;
    let start = i;
    for (let above = previousContent(lines, start); above >= 0; above = previousContent(lines, start)) {
      const prior = lines[above]!;
      if (SEPARATOR.test(prior) || prior.includes(MARKS.softCut) || isAttribution(prior)) start = above;
      else break;
    }
    return start;
  }
  return lines.length;
}

function headerLines(lines: string[], from: number): number {
  let count = 0;
  for (let i = from; i < Math.min(lines.length, from + HEADER_LOOKAHEAD); i++) {
    if (HEADER_LINE.test(lines[i]!)) count++;
  }
  return count;
}

/** The next line with content is a "Label: value" header (any language: a short label). */
function headerFollows(lines: string[], from: number): boolean {
  const next = nextContent(lines, from);
  if (next < 0) return false;
  const line = lines[next]!;
  return FROM_LINE.test(line) || HEADER_LINE.test(line) || /^\s*\*?[\p{L} ]{2,20}\*?\s*[:：]\s*\S/u.test(line);
}

/**
 * Drops each `>` block that is a quote: one introduced by a quote mark or an attribution line (the
 * attribution goes with it; an attribution may be wrapped over two lines). A block in prose with
 * no attribution is the writer's (a pasted log, a quoted error) and stays. Text after a quote
 * stays too: it is a reply written below the quote.
 */
function dropQuotes(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (line.includes(MARKS.quote)) {
      const end = quoteEnd(lines, i + 1);
      dropTrailingAttribution(out);
      i = end;
      continue;
    }
    if (isQuoted(line)) {
      const end = quoteEnd(lines, i);
      if (!dropTrailingAttribution(out)) out.push(...lines.slice(i, end));
      i = end;
      continue;
    }
    out.push(line.replace(ANY_MARK, ''));
    i++;
  }
  return out;
}

function isQuoted(line: string): boolean {
  return /^\s*>/u.test(line);
}

/** End (exclusive) of the `>` block starting at `from`; blank lines inside a block belong to it. */
function quoteEnd(lines: string[], from: number): number {
  let end = from;
  for (let i = from; i < lines.length; i++) {
    if (isQuoted(lines[i]!)) end = i + 1;
    else if (lines[i]!.trim() !== '') break;
  }
  return end;
}

/** Removes an attribution at the end of `out` (one line, or one wrapped over two); true if found. */
function dropTrailingAttribution(out: string[]): boolean {
  const last = previousContent(out, out.length);
  if (last < 0) return false;
  const before = last - 1;
  if (before >= 0 && out[before]!.trim() && !isKnownAttribution(out[last]!) && isKnownAttribution(`${out[before]} ${out[last]}`)) {
    out.length = before;
    return true;
  }
  if (!isAttribution(out[last]!)) return false;
  out.length = last;
  return true;
}

/**
 * Removes, from the end: device lines ("Sent from my iPhone"), a "-- " signature block, and the
 * contact lines (title, phone, web site) under a sign-off and name. The sign-off and name are the
 * writer's and stay. Each block must be short, so a "--" in the middle of a long log is not taken
 * for a signature.
 */
function trimSignature(lines: string[]): string[] {
  // A signature sits in the last lines; looking no further keeps hostile input (thousands of "--"
  // lines) linear.
  const headEnd = Math.max(0, lines.length - SIGNATURE_TAIL);
  return [...lines.slice(0, headEnd), ...trimTail(lines.slice(headEnd))];
}

function trimTail(lines: string[]): string[] {
  let out = trimBlank(lines);
  for (let changed = true; changed; ) {
    changed = false;
    const last = out.length - 1;
    if (last >= 0 && DEVICE_LINE.test(out[last]!.trim())) {
      out = trimBlank(out.slice(0, last));
      changed = true;
      continue;
    }
    const delimiter = out.findLastIndex((line) => SIGNATURE_DELIMITER.test(line));
    if (delimiter >= 0 && contentLines(out, delimiter + 1) <= MAX_SIGNATURE_LINES) {
      out = trimBlank(out.slice(0, delimiter));
      changed = true;
    }
  }
  return dropContactLines(out);
}

function dropContactLines(lines: string[]): string[] {
  const signOff = lines.findLastIndex((line) => SIGN_OFF.test(line.trim()));
  if (signOff < 0) return lines;
  const name = nextContent(lines, signOff + 1);
  if (name < 0 || !isName(lines[name]!)) return lines;
  const rest = lines.slice(name + 1).filter((line) => line.trim() !== '');
  const isContactBlock =
    rest.length > 0 &&
    rest.length <= MAX_SIGNATURE_LINES - 2 &&
    rest.every((line) => line.length <= 80) &&
    rest.some((line) => CONTACT.test(line));
  return isContactBlock ? lines.slice(0, name + 1) : lines;
}

function isName(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.length <= 40 && trimmed.split(/\s+/).length <= 5 && !/[\d@:/?.!]/u.test(trimmed);
}

function contentLines(lines: string[], from: number): number {
  return lines.slice(from).filter((line) => line.trim() !== '').length;
}

function trimBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(0, end);
}

function previousContent(lines: string[], before: number): number {
  for (let i = before - 1; i >= 0; i--) if (lines[i]!.trim() !== '') return i;
  return -1;
}

function nextContent(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (lines[i]!.trim() !== '') return i;
  return -1;
}
