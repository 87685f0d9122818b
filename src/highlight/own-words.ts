// The writer's own words of one message: quoted history, forwarded mail and signature blocks
// removed, everything the writer typed kept. Works on plain text; HTML is converted first by
// htmlToPlain, which marks the quote containers and history separators it recognises from the
// markup (MARKS) so the same rules finish the job for both.
//
// Hand-written because no maintained library does this without dropping own words, measured on the
// real-mail corpus (src/highlight/real-mail/, 418 plain-text mails, 78 forwards):
// - planer (the JS port of Mailgun's talon) gets 248/418 plain-text mails exact and drops own words
//   in 3: its splitter table is English-first, and it gives up on any inline reply. Its HTML path
//   needs a full DOM with XPath (jsdom), a heavy dependency that parses every body again, and cuts
//   the last top-level <blockquote> whether or not an attribution introduces it.
// - email-forward-parser gets 70/78 forwards exact and drops own words in 3; its separator table is
//   broad, so its languages' markers are in ./languages/ instead, under the structural rules here.
// - email-reply-parser decides what an attribution line is (see attribution.ts for why its cutting
//   is not used).
// The rules here are positional and structural ("a `>` block after an attribution line is a quote,
// one in prose is not"; a header block is 3 `Label: value` lines under a From line in any language;
// a signature sits under a name at the end), and a doubtful block stays. With the conversation's
// earlier messages at hand, a block that repeats one is history whatever its form (thread-history.ts).

import { beginMessage, isAttribution, isDatePersonLine, isHistoryAttribution, ownTextBeforeAttribution } from './attribution.js';
import { type EarlierMessages, type EarlierText, indexEarlier, repeatedLines } from './thread-history.js';
import { DEVICE_LINE, FRAMED_LINE, FROM_LINE, HEADER_LINE, HEADER_SHAPED_LINE, HISTORY_MARKER, isGreeting, SIGN_OFF, WROTE, WROTE_ON, WROTE_WORD } from './reply-markers.js';
import { itemAt } from '../shared/item-at.js';

/** Private-use characters htmlToPlain writes where the markup said a quote or history starts. */
export const MARKS = {
  /** A quote container (gmail_quote, blockquote type=cite, front-blockquote, …); its lines follow, `>`-prefixed. */
  quote: '\uE000',
  /** Everything after this is history (Outlook's divRplyFwdMsg, appendonsend). */
  cut: '\uE001',
  /** A border-top separator: history when a header line ("From: …") follows. */
  softCut: '\uE002',
  /**
   * Starts each line of an HTML <blockquote> (then `> `): a quote when the rules say so, else kept
   * without the `> `, which the writer never typed.
   */
  blockquoteLine: '\uE003',
} as const;
const ANY_MARK = /[\uE000-\uE003]/g;
/** An HTML blockquote's line prefix (see MARKS.blockquoteLine), removed from a kept block. */
const BLOCKQUOTE_PREFIX = /\uE003> ?/gu;

/** Removes the marks from text that came from outside, so a message cannot forge them. */
export function withoutMarks(s: string): string {
  return s.replace(ANY_MARK, '');
}

/**
 * Longest text the thread signal reads (in lines and characters): far beyond any mail a person writes (a Highlight
 * shows 4,000 characters), so a hostile one costs the rules alone.
 */
const MAX_THREAD_LINES = 5_000;
const MAX_THREAD_CHARS = 200_000;
/** Lines a header block or separator may be checked over. */
const HEADER_LOOKAHEAD = 6;
/** A signature block ("-- " and below, contact lines under a name) is at most this many lines. */
const MAX_SIGNATURE_LINES = 8;
/** Lines at the end of a message searched for a signature. */
const SIGNATURE_TAIL = 40;
/** RFC 3676's "-- " (its space is gone once tidied) and the underscores some clients use. */
const SIGNATURE_DELIMITER = /^(?:--|_{2,})\s?$/u;
/** An em- or en-dash rule some clients and writers put above a signature; a name must follow it. */
const DASH_RULE = /^[—–]+$/u;
const CONTACT = /(?:\+?\d[\d\s().\-/]{6,}\d|https?:\/\/|www\.|@[\w-]+\.\w|\|)/iu;

/**
 * Own words of `text` (plain, already tidied), or `text` itself when stripping would leave nothing:
 * a Highlight with the original is better than an empty one.
 */
export interface OwnWordsOptions {
  /**
   * Texts of earlier messages of the same conversation (their own words, or whole): a block that
   * repeats one is history, whatever its language or markup (see thread-history.ts).
   */
  earlier?: readonly EarlierText[];
}

export function ownWords(text: string, options: OwnWordsOptions = {}): string {
  beginMessage();
  const earlier = indexEarlier(options.earlier);
  const split = joinDanglingAttributionEnds(text.split('\n'));
  const lines = earlier && split.length <= MAX_THREAD_LINES && text.length <= MAX_THREAD_CHARS ? withoutRepeats(split, earlier) : split;
  const own = trimSignature(dropQuotes(lines.slice(0, historyStart(lines))));
  const result = own.join('\n').trim();
  return result ? result : withoutMarks(text).trim();
}

/**
 * Blanks the lines that repeat an earlier message (thread-history.ts says which), with what
 * introduces them right above: an attribution, a rule, a history marker, a header block, or a
 * line ending in a colon that names a date, an address or a "wrote" verb in any language. The rules
 * then see what is left.
 */
function withoutRepeats(lines: string[], earlier: EarlierMessages): string[] {
  const repeated = repeatedLines(lines, earlier, introducesHistory);
  const out = lines.map((line, i) => (repeated[i] ? '' : line));
  for (let i = 0; i < out.length; i++) {
    // Up from the start of each run of history (blank lines inside a run do not start one); nothing
    // above an introduction is the quoted mail's.
    if (!repeated[i] || repeated[previousContent(lines, i)] === true) continue;
    for (let above = previousContent(out, i); above >= 0 && above >= i - HEADER_LOOKAHEAD - 1 && introducesHistory(itemAt(out, above)); above = previousContent(out, above)) {
      out[above] = '';
    }
  }
  return out;
}

function introducesHistory(line: string): boolean {
  const trimmed = line.replace(/^\s*(?:\uE003?>\s?)*/u, '').trim();
  return (
    isAttribution(trimmed) ||
    RULE.test(trimmed) ||
    HISTORY_MARKER.test(trimmed) ||
    FROM_LINE.test(trimmed) ||
    HEADER_LINE.test(trimmed) ||
    line.includes(MARKS.softCut) ||
    (/[:：]$/u.test(trimmed) && trimmed.length <= 200 && (/[\d@]/u.test(trimmed) || WROTE.test(trimmed)))
  );
}

/**
 * Gmail wraps a long attribution inside the address ("… <ada@acme.example" over ">:"), which makes
 * its end look like a one-line `>` block; the end goes back onto its line.
 */
function joinDanglingAttributionEnds(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*>\)?\s*[:：]\s*$/u.test(line) && out.length > 0 && /<[^>\s]*$/u.test(itemAt(out, out.length - 1))) out[out.length - 1] += line.trim();
    else out.push(line);
  }
  return out;
}

/**
 * Index of the first line of unquoted history: a history mark, a forwarded/original-message marker,
 * a header block (see headerBlockAt), an attribution whose history below is not `>`-quoted (a
 * top post from a client that quotes without prefixes), or a device line with more text under it
 * (phone clients append it to what the writer typed, then the history). A separator line, device
 * line or attribution right above it goes too.
 */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = itemAt(lines, i);
    if (!line.trim()) continue;
    // Every header line has a colon; every attribution (or the line under its head) a colon, a dash
    // frame or an address: lines without one skip the dearer checks, which keeps long text cheap.
    const marked = MAY_START_HISTORY.test(line) || (i + 1 < lines.length && MAY_START_HISTORY.test(itemAt(lines, i + 1))) || (i + 2 < lines.length && MAY_START_HISTORY.test(itemAt(lines, i + 2)));
    const starts =
      line.includes(MARKS.cut) ||
      (line.includes(MARKS.softCut) && headerFollows(lines, i + 1)) ||
      HISTORY_MARKER.test(line) ||
      (FRAMED_LINE.test(line) && headerFollows(lines, i + 1)) ||
      (marked && (headerBlockAt(lines, i) || unquotedHistoryUnder(lines, i))) ||
      spreadAttributionOver(lines, i) ||
      (DEVICE_LINE.test(line.trim()) && nextContent(lines, i + 1) >= 0 && previousContent(lines, i) >= 0);
    if (!starts) continue;
    let start = wrappedHeadAbove(lines, i);
    for (let above = previousContent(lines, start); above >= 0; above = previousContent(lines, start)) {
      const prior = itemAt(lines, above);
      const introduces = isAttribution(prior) || ((WROTE_ON.test(prior) || WROTE_WORD.test(prior)) && /\d{1,2}[:.]\d{2}/u.test(prior));
      if (RULE.test(prior) || FRAMED_LINE.test(prior) || prior.includes(MARKS.softCut) || introduces || DEVICE_LINE.test(prior.trim())) start = above;
      else break;
    }
    return start;
  }
  return lines.length;
}

const MAY_START_HISTORY = /[:：@-]|\s\d{1,2}:\d{2}/u;

/** A rule of dashes, equals signs or underscores right above history belongs to it. */
const RULE = /^\s*(?:_{4,}|-{4,}|={4,}|—{1,})\s*$/u;

/**
 * Start of an attribution whose head is wrapped onto the lines above `at` ("On Mon, 30 Nov 2026 at
 * 10:00, Ada Lovelace" over "<ada@acme.example> wrote:"): the line at `at` cannot open one (it starts
 * with a bracket, an address or a lower-case word, or the head line breaks off after a comma or
 * bracket), each head line names a date or time and ends no sentence, and together they are an attribution. An own line above an attribution ("Thanks")
 * names no date, so it stays.
 */
function wrappedHeadAbove(lines: string[], at: number): number {
  const cannotOpen = /^\s*[<(["'\p{Ll}]|^\s*[^\s@]+@/u.test(itemAt(lines, at));
  let start = at;
  let joined = itemAt(lines, at).trim();
  for (let k = 1; k < MAX_ATTRIBUTION_LINES && start - 1 >= 0; k++) {
    const prior = itemAt(lines, start - 1).trim();
    if (!prior || SENTENCE_END.test(prior) || !/\d/u.test(prior)) break;
    // A head ending in a comma, an open bracket or a day's number ("Fr., 28.") is cut mid-phrase,
    // whatever the line under it.
    if (!cannotOpen && !/(?:[,<(]|\d\.)$/u.test(prior)) break;
    joined = `${prior} ${joined}`;
    if (!isHistoryAttribution(joined)) break;
    start -= 1;
  }
  return start;
}

/**
 * A header block starts at `at`: a From line ("From:", "Von:", "Från:", "差出人:", …) with two
 * more header lines in the next few (known labels, or any short "Label: value" when the block names
 * an address or a date), or a "Label: value" line with a From line right under it (Thunderbird
 * and Apple Mail put Date or Subject first, French webmails "Message du :").
 */
function headerBlockAt(lines: string[], at: number): boolean {
  const line = itemAt(lines, at);
  if (FROM_LINE.test(line)) {
    if (headerLines(lines, at + 1) >= 2) return true;
    const shaped = shapedRun(lines, at);
    return (shaped.length >= 3 && shaped.some((l) => ADDRESS_OR_DATE.test(l))) || knownPairWithAddressAndDate(shaped);
  }
  if (!HEADER_LINE.test(line) && !HEADER_SHAPED_LINE.test(line)) return false;
  const run = shapedRun(lines, at);
  if (run.length >= 3 && run.slice(1, 3).some((l) => FROM_LINE.test(l)) && run.some((l) => ADDRESS_OR_DATE.test(l))) return true;
  return knownPairWithAddressAndDate(run);
}

/**
 * Two or more known header lines in a row naming both an address and a date ("Date: Wed, 16 May
 * 2012 …" over "To: ada@acme.example"): a header block a client cut short.
 */
function knownPairWithAddressAndDate(run: string[]): boolean {
  const known: string[] = [];
  for (const l of run) {
    if (!FROM_LINE.test(l) && !HEADER_LINE.test(l)) break;
    known.push(l);
  }
  return known.length >= 2 && known.some((l) => ADDRESS.test(l)) && known.some((l) => DATE.test(l));
}

const ADDRESS = /@[\w-]+\.\w/u;
const DATE = /\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(?:19|20)\d{2}\b/u;

const ADDRESS_OR_DATE = /@[\w-]+\.\w|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(?:19|20)\d{2}\b|\d{1,2}:\d{2}/u;

/** The "Label: value" lines in a row from `from` (at most the lookahead). */
function shapedRun(lines: string[], from: number): string[] {
  const run: string[] = [];
  for (let i = from; i < Math.min(lines.length, from + HEADER_LOOKAHEAD); i++) {
    if (!HEADER_SHAPED_LINE.test(itemAt(lines, i))) break;
    run.push(itemAt(lines, i));
  }
  return run;
}

function headerLines(lines: string[], from: number): number {
  let count = 0;
  for (let i = from; i < Math.min(lines.length, from + HEADER_LOOKAHEAD); i++) {
    if (HEADER_LINE.test(itemAt(lines, i))) count++;
  }
  return count;
}

/** The next line with content is a "Label: value" header (any language: a short label). */
function headerFollows(lines: string[], from: number): boolean {
  const next = nextContent(lines, from);
  if (next < 0) return false;
  const line = itemAt(lines, next);
  return FROM_LINE.test(line) || HEADER_LINE.test(line) || /^\s*\*?[\p{L} ]{2,20}\*?\s*[:：]\s*\S/u.test(line);
}

/** A line ending a sentence; "28." is a German day, not an end. */
const SENTENCE_END = /(?<!\d)[.!?。]$/u;

/** Lines an attribution may be wrapped over. */
const MAX_ATTRIBUTION_LINES = 3;

/**
 * An attribution (on one line or wrapped over up to three) starts at `at` and the text under it is
 * not a `>` block: the client quoted the earlier message without prefixes, so all of it is history.
 * An attribution above a `>` block is left to dropQuotes, which keeps a reply written under it.
 */
function unquotedHistoryUnder(lines: string[], at: number): boolean {
  const size = attributionSize(lines, at, isHistoryAttribution);
  if (size > 0) {
    const next = nextContent(lines, at + size);
    return next < 0 || !isQuoted(itemAt(lines, next));
  }
  // Discourse and some list software quote with "| " under an attribution line of any form.
  const next = nextContent(lines, at + 1);
  return next >= 0 && /^\s*\|/u.test(itemAt(lines, next)) && isAttribution(itemAt(lines, at));
}

/** Lines a spread attribution may cover, blank ones included. */
const MAX_SPREAD_LINES = 6;

/**
 * Polymail spreads its attribution over several lines, blank ones and a `> wrote:` among them
 * ("On Tue, Apr 11, 2017 at 10:07 PM Ada" … "> wrote:"), then the history unquoted: from a dated
 * line that ends no sentence to the first line ending in a "wrote" verb, an attribution together,
 * with no `>` block under it.
 */
function spreadAttributionOver(lines: string[], at: number): boolean {
  const first = itemAt(lines, at).trim();
  if (!/\d/u.test(first) || isQuoted(first) || /[.!?。:：]$/u.test(first) || !DATED.test(first)) return false;
  const parts = [first];
  for (let j = at + 1; j < Math.min(lines.length, at + MAX_SPREAD_LINES); j++) {
    const part = itemAt(lines, j).trim().replace(/^>\s*/u, '');
    if (!part) continue;
    // The pieces between are fragments of a name and an address, never prose or a whole attribution
    // (cheap tests first: this runs on every dated line).
    const words = part.split(/\s+/u).length;
    if (!WROTE.test(part)) {
      if (words > 2 && !/[<>@]/u.test(part)) return false;
      parts.push(part);
      continue;
    }
    if (words > 2 && isHistoryAttribution(part)) return false;
    parts.push(part);
    const next = nextContent(lines, j + 1);
    return isHistoryAttribution(parts.join(' ')) && (next < 0 || !isQuoted(itemAt(lines, next)));
  }
  return false;
}

const DATED = /\b(?:19|20)\d{2}\b.*\d{1,2}:\d{2}|\d{1,2}:\d{2}.*\b(?:19|20)\d{2}\b/u;

/**
 * Lines (1 to 3) of the attribution starting at `at`, or 0. A wrapped one must not be an own line
 * followed by a whole attribution: the last part alone is not one, and no part but the last ends a
 * sentence.
 */
function attributionSize(lines: string[], at: number, test: (line: string) => boolean): number {
  const first = itemAt(lines, at);
  if (!first.trim() || isQuoted(first)) return 0;
  if (test(first)) return 1;
  let joined = first.trim();
  for (let size = 2; size <= MAX_ATTRIBUTION_LINES && at + size - 1 < lines.length; size++) {
    const part = itemAt(lines, at + size - 1);
    if (!part.trim() || isQuoted(part) || SENTENCE_END.test(joined) || test(part)) return 0;
    joined = `${joined} ${part.trim()}`;
    if (test(joined)) return size;
  }
  return 0;
}

/**
 * Drops each `>` block that is a quote: one introduced by a quote mark or an attribution line (the
 * attribution goes with it), or one that opens with an attribution or header block of its own
 * (Apple Mail quotes the attribution too). Once the message has shown it is a reply, every later
 * `>` block is a quote as well: the answers of an inline reply stay, the quotes between them go.
 * A block in prose with no attribution is the writer's (a pasted log, a quoted error) and stays.
 * Text after a quote stays too: it is a reply written below the quote.
 */
function dropQuotes(lines: string[]): string[] {
  const out: string[] = [];
  let replying = false;
  for (let i = 0; i < lines.length; ) {
    const line = itemAt(lines, i);
    if (line.includes(MARKS.quote)) {
      const end = quoteEnd(lines, i + 1);
      dropTrailingAttribution(out);
      replying = true;
      i = end;
      continue;
    }
    if (isQuoted(line)) {
      const end = quoteEnd(lines, i);
      const block = lines.slice(i, end);
      if (dropTrailingAttribution(out) || replying || opensAsMail(block) || isTrailingMailQuote(out, block, nextContent(lines, end) < 0)) replying = true;
      else out.push(...block.map((l) => l.replace(BLOCKQUOTE_PREFIX, '').replace(ANY_MARK, '')));
      i = end;
      continue;
    }
    out.push(line.replace(ANY_MARK, ''));
    i++;
  }
  return out;
}

/** A `>` line; Supercite-style initials ("C> ", Evolution, Emacs) count too. */
function isQuoted(line: string): boolean {
  return /^\s*(?:\uE003|[A-Za-z]{1,3})?>/u.test(line);
}

/**
 * End (exclusive) of the `>` block starting at `from`; blank lines inside a block belong to it, and
 * so does a line the quoting client wrapped without a `>` (it continues a long quoted line in lower
 * case, with a quoted line right under it).
 */
function quoteEnd(lines: string[], from: number): number {
  let end = from;
  for (let i = from; i < lines.length; i++) {
    const line = itemAt(lines, i);
    if (isQuoted(line)) end = i + 1;
    else if (line.trim() === '') continue;
    else if (i > from && isWrappedQuoteLine(itemAt(lines, i - 1), line, lines[i + 1])) end = i + 1;
    else break;
  }
  return end;
}

const WRAPPED_QUOTE_MIN = 50;

function isWrappedQuoteLine(previous: string, line: string, next: string | undefined): boolean {
  if (!isQuoted(previous) || next === undefined || !isQuoted(next)) return false;
  // The rest of a long line in lower case, or the tail of a broken link ("_nonce=3dd518)"): an
  // answer typed between quotes starts neither way.
  return (previous.length >= WRAPPED_QUOTE_MIN && /^\s*\p{Ll}/u.test(line)) || /^\s*[(_[<{/&=?#,;.]/u.test(line);
}

/**
 * A `>` block that ends the message, under own text that does not announce it ("Here is the log:"),
 * and reads as a mail (it opens with a greeting or closes with a sign-off): the quote of the
 * message replied to, with no attribution.
 */
function isTrailingMailQuote(out: string[], block: string[], last: boolean): boolean {
  const above = previousContent(out, out.length);
  if (!last || above < 0 || /[:：]\s*$/u.test(itemAt(out, above))) return false;
  const inner = block.map((line) => line.replace(/^\s*(?:(?:\uE003|[A-Za-z]{1,3})?>\s?)+/u, '').trim()).filter(Boolean);
  return inner.length >= 2 && (isGreeting(itemAt(inner, 0)) || inner.some((line) => SIGN_OFF.test(line)));
}

/** The block's own first lines are an attribution, a history marker or a header block. */
function opensAsMail(block: string[]): boolean {
  const inner = block.map((line) => line.replace(/^\s*(?:(?:\uE003|[A-Za-z]{1,3})?>\s?)+/u, ''));
  const first = nextContent(inner, 0);
  if (first < 0) return false;
  return HISTORY_MARKER.test(itemAt(inner, first)) || headerBlockAt(inner, first) || attributionSize(inner, first, isAttribution) > 0;
}

/** Removes an attribution at the end of `out` (one line, or one wrapped over up to three); true if found. */
function dropTrailingAttribution(out: string[]): boolean {
  const last = previousContent(out, out.length);
  if (last < 0) return false;
  const own = ownTextBeforeAttribution(itemAt(out, last));
  if (own !== null) {
    out.length = last;
    out.push(own);
    return true;
  }
  for (let size = MAX_ATTRIBUTION_LINES; size >= 2; size--) {
    const start = last - size + 1;
    if (start >= 0 && attributionSize(out, start, (line) => isHistoryAttribution(line) || isDatePersonLine(line)) === size) {
      out.length = start;
      return true;
    }
  }
  if (!isAttribution(itemAt(out, last))) return false;
  out.length = wrappedHeadAbove(out, last);
  return true;
}

/**
 * Removes, from the end: device lines ("Sent from my iPhone"), a "-- " signature block, and the
 * contact lines (title, phone, web site) under a sign-off and name. The sign-off and name are the
 * writer's and stay. Each block must be short, so a "--" in the middle of a long log is not taken
 * for a signature.
 */
function trimSignature(all: string[]): string[] {
  // A device line the client put first (above what the writer typed) goes too.
  let first = nextContent(all, 0);
  while (first >= 0 && DEVICE_LINE.test(itemAt(all, first).trim())) first = nextContent(all, first + 1);
  const lines = first > 0 ? all.slice(first) : all;
  // A signature sits in the last lines; looking no further keeps hostile input (thousands of "--"
  // lines) linear.
  const headEnd = Math.max(0, lines.length - SIGNATURE_TAIL);
  return [...lines.slice(0, headEnd), ...trimTail(lines.slice(headEnd))];
}

/** Gmail's mail-tracking mark, a line of its own at the end. */
const TRACKING_MARK = /^\u1427$/u;

function trimTail(lines: string[]): string[] {
  let out = trimBlank(lines);
  for (let changed = true; changed; ) {
    changed = false;
    const last = out.length - 1;
    if (last >= 0 && (DEVICE_LINE.test(itemAt(out, last).trim()) || TRACKING_MARK.test(itemAt(out, last).trim()))) {
      out = trimBlank(out.slice(0, last));
      changed = true;
      continue;
    }
    const delimiter = out.findLastIndex((line, i) => SIGNATURE_DELIMITER.test(line) || (DASH_RULE.test(line.trim()) && isNameAt(out, i + 1)));
    if (delimiter >= 0 && contentLines(out, delimiter + 1) <= MAX_SIGNATURE_LINES) {
      out = trimBlank(out.slice(0, delimiter));
      changed = true;
    }
  }
  const underSignOff = dropContactLines(out);
  return underSignOff.length < out.length ? underSignOff : dropBlockUnderFullName(out);
}

/**
 * The last paragraph is a full name with a few short contact lines under it ("Ada Lovelace, PhD" /
 * "Acme Inc" / "555-941-0697"), no sign-off above: the name is the writer's, the rest a signature.
 * None of those lines may end a sentence, so a closing paragraph of prose is never taken for one.
 */
function dropBlockUnderFullName(lines: string[]): string[] {
  const end = lines.length;
  let start = end;
  while (start > 0 && itemAt(lines, start - 1).trim() !== '') start--;
  const block = lines.slice(start, end).map((l) => l.trim());
  if (block.length < 2 || block.length > 5 || start === 0) return lines;
  const [name = '', ...rest] = block;
  const fullName = isName(name) && name.split(/\s+/u).length >= 2;
  const contact = rest.every((l) => l.length <= 60 && !/[.!?:：。]$/u.test(l)) && rest.some((l) => CONTACT.test(l));
  return fullName && contact ? lines.slice(0, start + 1) : lines;
}

function dropContactLines(lines: string[]): string[] {
  const signOff = lines.findLastIndex((line) => SIGN_OFF.test(line.trim()));
  if (signOff < 0) return lines;
  const name = nextContent(lines, signOff + 1);
  if (name < 0 || !isName(itemAt(lines, name))) return lines;
  const rest = lines.slice(name + 1).filter((line) => line.trim() !== '');
  const isContactBlock =
    rest.length > 0 &&
    rest.length <= MAX_SIGNATURE_LINES - 2 &&
    rest.every((line) => line.length <= 80) &&
    (rest.some((line) => CONTACT.test(line)) || (rest.length <= 2 && rest.every(isTitleLine)));
  return isContactBlock ? lines.slice(0, name + 1) : lines;
}

/** A job title or company under a name ("CEO @ Acme !", "Head of Operations"); not a P.S. or a sentence. */
function isTitleLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.split(/\s+/u).length <= 6 && !/^p\.?s\b/iu.test(trimmed) && !/[.?:：。]$/u.test(trimmed);
}

function isNameAt(lines: string[], from: number): boolean {
  const next = nextContent(lines, from);
  return next >= 0 && isName(itemAt(lines, next));
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
  while (end > 0 && itemAt(lines, end - 1).trim() === '') end--;
  return lines.slice(0, end);
}

function previousContent(lines: string[], before: number): number {
  for (let i = before - 1; i >= 0; i--) if (itemAt(lines, i).trim() !== '') return i;
  return -1;
}

function nextContent(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (itemAt(lines, i).trim() !== '') return i;
  return -1;
}
