// The thread signal (issue 24): a mail parser sees one message, front-import often holds the
// conversation's earlier messages too. A block of the new message that repeats an earlier message
// is history, whatever its language or markup: no attribution, header or `>` needs to be known.
//
// Repeats are found by word trigrams, not whole lines, because a quoting client re-wraps the text
// (and adds `>`): a line of the new message repeats when most of its trigrams are in the earlier
// messages. A line of one or two words ("Thanks,", "Ada") proves nothing either way and goes only
// with the block it opens or closes, and only when the earlier messages hold it too.
//
// What counts as history (a doubtful block stays: a lost own word weighs more than a kept quote).
// Each earlier text is indexed with the quote depth of each line (the number of `>` before it), and
// a block is history only when it repeats the earlier message the way a reply quotes it:
// 1. A `>` block whose lines repeat an earlier message's lines one level shallower (`> x` for an
//    earlier `x`, `> > x` for an earlier `> x`) is a quote of that message, wherever it sits: the
//    quotes of an inline reply go and the answers typed between them stay, and a quote the writer
//    comments below goes while the comment stays. A quote of a message from the writer's own side
//    (a customer's earlier message, for the customer) goes only under own text and at the end: a
//    writer who pasted a log plainly may paste it again with `>`. The whole contiguous `>` block it starts goes
//    with it: the nested `> >` lines of the quoted message's own quotes, and the quoted signature
//    or device line its own words never had.
// 2. A `>` block that repeats an earlier message's `>` block at the same depth is not a quote of
//    it: the writer pasted the same log again (a quote would have added a level). It stays, unless
//    it sits inside an unquoted repeat of that message (3), as the earlier message had it.
// 3. An unquoted run (no `>`: a client that quotes without prefixes, or under an introduction no
//    rule knows) goes only in the position of a reply's quote: below text of the writer's own; at
//    the end of the message (or, when an introduction line opens it, above further history that
//    has no `>` under it: an older message quoted the same way); starting where an earlier
//    message starts (short lines above that start are the writer's closing "Best," "Maria");
//    repeating at least half of that message; and, unless an introduction line (or a mark the
//    markup left) opens it, repeating more than one line of it or 12 of its trigrams and written
//    by the other side (customer / teammate: a writer's own message repeated is sent again). A
//    line that starts history (a header, an attribution, a mark) starts another run. A customer
//    who sends the same words again, first thing or at the end, means them; an agent's template
//    line above a reply's real quote is the agent's.
// 4. A line of one or two words goes only with a block that goes, at the same quote level, when
//    the earlier messages hold it at the level a quote would ("Hi Maria," opening an unquoted run,
//    "Best," "Ada" closing it, `> Ada` inside a `>` block); the writer's unquoted "—Daniel" above
//    a `>` quote of Daniel's mail stays. A line with no word ("```", "});") inside a run that goes,
//    or after one at the end, goes with it.
// 5. Text the earlier messages only quote (their `>` lines) is not what they said: repeated with no
//    `>` it is the writer's (a customer typing again what an agent's reply quoted of them).

import { itemAt } from '../shared/item-at.js';

/** Share of a line's trigrams found in the earlier messages for the line to count as repeated. */
const REPEATED_SHARE = 0.6;
/** Earlier text read per message: a quote repeats the start of a message, and this bounds the set. */
const MAX_EARLIER_CHARS = 20_000;
/** Share of an earlier message an unquoted run must repeat to be its quote (rule 3). */
const MIN_MESSAGE_SHARE = 0.5;
/**
 * Trigrams an unquoted run must repeat of one earlier message (rule 3) unless a line that starts
 * history ("30.11.2026 10:00 – Support:") introduces it: a quote repeats much of a message, a
 * writer's sentence sent again only a few words of it.
 */
const MIN_RUN_TRIGRAMS = 12;
/** Earlier messages told apart for rule 3 (one bit each); more are read, not told apart. */
const MAX_MESSAGES = 30;
/** Quote depths told apart; deeper lines count as this deep. */
const MAX_DEPTH = 7;

/**
 * An earlier message's text (its own words, or whole). `sameSide`: written from the same side of the
 * conversation as the message read (both the customer's, or both teammates'), so repeating it may
 * be sending it again rather than quoting it (rule 3); a plain string is from the other side.
 */
export type EarlierText = string | { text: string; sameSide: boolean };

export interface EarlierMessages {
  /** Trigram -> bit mask of the quote depths it has in the earlier messages. */
  trigrams: Map<string, number>;
  /** The same, over the earlier messages written from the other side only. */
  otherSide: Map<string, number>;
  /** Trigram of an unquoted line -> bit mask of the earlier messages that have it. */
  owners: Map<string, number>;
  /** Distinct unquoted trigrams per earlier message. */
  sizes: number[];
  /** Normalised line -> depth mask, for the short lines that have no trigram. */
  lines: Map<string, number>;
  /** Normalised first unquoted line -> bit mask of the earlier messages it opens. */
  firstLines: Map<string, number>;
  /** Bit mask of the earlier messages written from the same side (see EarlierText). */
  sameSide: number;
}

/** The earlier messages' texts (their own words, or whole), indexed; null when there are none. */
export function indexEarlier(texts: readonly EarlierText[] | undefined): EarlierMessages | null {
  if (!texts || texts.length === 0) return null;
  const index: EarlierMessages = { trigrams: new Map(), otherSide: new Map(), owners: new Map(), sizes: [], lines: new Map(), firstLines: new Map(), sameSide: 0 };
  texts.forEach((earlier, n) => {
    const bit = n < MAX_MESSAGES ? 1 << n : 0;
    const text = typeof earlier === 'string' ? earlier : earlier.text;
    const sameSide = typeof earlier !== 'string' && earlier.sameSide;
    if (sameSide) index.sameSide |= bit;
    let size = 0;
    let first = true;
    // Lines are indexed one by one: a trigram across two lines would make the set depend on wrapping.
    for (const line of text.slice(0, MAX_EARLIER_CHARS).split('\n')) {
      const depth = depthOf(line);
      const words = wordsOf(line);
      if (words.length === 0) continue;
      const joined = words.join(' ');
      index.lines.set(joined, (index.lines.get(joined) ?? 0) | (1 << depth));
      if (depth === 0 && first) index.firstLines.set(joined, (index.firstLines.get(joined) ?? 0) | bit);
      if (depth === 0) first = false;
      for (const t of trigramsOf(words)) {
        index.trigrams.set(t, (index.trigrams.get(t) ?? 0) | (1 << depth));
        if (!sameSide) index.otherSide.set(t, (index.otherSide.get(t) ?? 0) | (1 << depth));
        if (depth !== 0 || !bit) continue;
        const owners = index.owners.get(t) ?? 0;
        if (!(owners & bit)) size++;
        index.owners.set(t, owners | bit);
      }
    }
    if (bit) index.sizes.push(size);
  });
  return index.trigrams.size > 0 || index.lines.size > 0 ? index : null;
}

/** The depth mask holds the depth a line at `depth` repeats when it quotes or re-pastes without prefix. */
function knownAsQuote(mask: number, depth: number): boolean {
  return depth === 0 ? (mask & 1) !== 0 : (mask & (1 << (depth - 1))) !== 0;
}

type Verdict = 'quote' | 'same' | 'short-known' | 'short' | 'own' | 'mark';

interface Paragraph {
  start: number;
  end: number;
  /**
   * quote: its lines repeat the earlier messages one level shallower (rule 1; unquoted, a repeat
   * of their unquoted lines); same: only at their own level (rule 2); short-known / short: no line
   * of three words, all known to the earlier messages or not (rule 4); mark: where the markup said
   * a quote or history starts (own-words.ts MARKS), a line with no word; own: none of the above.
   */
  verdict: Verdict;
  /** Every line starts with `>`. */
  quoted: boolean;
  /** Unquoted trigrams found per earlier message (rule 3), for unquoted repeats. */
  found: Map<number, number>;
  /** Lines (of three words or more) that repeat the earlier messages as a quote would. */
  repeats: number;
  /** A quote (`>`) whose lines repeat mostly messages of the writer's own side (rule 1). */
  ownSide: boolean;
  /** Bit mask of the earlier messages whose first line is its first line. */
  opens: number;
}

/**
 * Which lines are history because they repeat an earlier message (see the rules above); `opensHistory`
 * tells a line that starts history of another kind (an attribution, a header), where own text
 * above a run stops counting as text below an earlier one.
 */
export function repeatedLines(lines: readonly string[], earlier: EarlierMessages, opensHistory: (line: string) => boolean): boolean[] {
  // Each line's words and quote depth, worked out once for every pass below.
  const words = lines.map(wordsOf);
  const depths = lines.map(depthOf);
  const paragraphs = paragraphsOf(lines, words, depths, earlier);
  const quotesRun = unquotedRunsQuoting(paragraphs, lines, earlier, opensHistory);
  const dropped = new Array<boolean>(paragraphs.length).fill(false);
  const ownBelow = ownTextBelow(paragraphs);
  let ownAbove = false;
  paragraphs.forEach((p, i) => {
    // A `>` quote of the writer's own side's message goes only where a reply's quote sits, under own
    // text and at the end: a writer who pasted a log plainly may paste it again with `>`.
    const quoteGoes = !p.ownSide || (ownAbove && !ownBelow[i]);
    if (p.verdict === 'quote' || (p.verdict === 'short-known' && !p.quoted)) dropped[i] = p.quoted ? quoteGoes : ownAbove && itemAt(quotesRun, i);
    if (!p.quoted && (p.verdict === 'own' || p.verdict === 'short')) ownAbove = true;
  });
  // Rule 2: the earlier message's own `>` block, inside an unquoted repeat of that message.
  paragraphs.forEach((p, i) => {
    if (p.verdict !== 'same' || !p.quoted) return;
    const unquotedDrop = (k: number | null) => k !== null && itemAt(dropped, k) && !itemAt(paragraphs, k).quoted;
    const below = nearest(paragraphs, i, 1);
    dropped[i] = unquotedDrop(nearest(paragraphs, i, -1)) && (below === null || unquotedDrop(below));
  });
  const history = new Array<boolean>(lines.length).fill(false);
  paragraphs.forEach((p, i) => {
    let drop = itemAt(dropped, i);
    if (p.verdict === 'short-known' && p.quoted) {
      const before = nearestDropped(paragraphs, dropped, i, -1, p.quoted);
      const after = nearestDropped(paragraphs, dropped, i, 1, p.quoted);
      drop = after === true || (before === true && after !== false);
    }
    if (drop) for (let l = p.start; l < p.end; l++) history[l] = true;
  });
  return withWordlessLines(lines, words, withWholeQuoteBlocks(depths, history, paragraphs, dropped));
}

/** For each paragraph: is there unquoted text of the writer's own (not known to the earlier messages) below it? */
function ownTextBelow(paragraphs: readonly Paragraph[]): boolean[] {
  const below = new Array<boolean>(paragraphs.length).fill(false);
  for (let k = paragraphs.length - 2; k >= 0; k--) {
    const next = itemAt(paragraphs, k + 1);
    below[k] = itemAt(below, k + 1) || (!next.quoted && (next.verdict === 'own' || next.verdict === 'short'));
  }
  return below;
}

/**
 * A line without a word ("```", "});", "--") inside a dropped run, or after one at the end, goes
 * with it: it has no trigram to be judged by, and the run it sits in is history. A mark of the
 * markup's stays: what follows it is history whatever the run above it was.
 */
function withWordlessLines(lines: readonly string[], words: readonly string[][], history: boolean[]): boolean[] {
  const worded = words.map((w) => w.length > 0);
  // Whether the next line with words (none: the end) is history, from each line on.
  const historyBelow = new Array<boolean>(lines.length + 1).fill(true);
  for (let i = lines.length - 1; i >= 0; i--) historyBelow[i] = itemAt(worded, i) ? itemAt(history, i) : itemAt(historyBelow, i + 1);
  let above = false;
  for (let i = 0; i < lines.length; i++) {
    if (worded[i]) above = itemAt(history, i);
    else if (above && itemAt(lines, i).trim() && !MARK.test(itemAt(lines, i)) && historyBelow[i + 1]) history[i] = true;
  }
  return history;
}

/**
 * Rule 1's block: a contiguous run of `>` lines (bare `>` lines inside it, no unquoted line) whose
 * first paragraph of three words or more is a dropped quote goes whole.
 */
function withWholeQuoteBlocks(depths: readonly number[], history: boolean[], paragraphs: readonly Paragraph[], dropped: readonly boolean[]): boolean[] {
  let p = 0;
  for (let i = 0; i < depths.length; ) {
    if (itemAt(depths, i) === 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < depths.length && itemAt(depths, end) > 0) end++;
    while (p < paragraphs.length && itemAt(paragraphs, p).start < i) p++;
    let first = p;
    while (first < paragraphs.length && itemAt(paragraphs, first).end <= end && isShort(itemAt(paragraphs, first))) first++;
    const lead = paragraphs[first];
    if (lead && lead.end <= end && lead.verdict === 'quote' && dropped[first]) history.fill(true, i, end);
    i = end;
  }
  return history;
}

const isShort = (p: Paragraph) => p.verdict === 'short' || p.verdict === 'short-known';

/**
 * Runs of lines between blank lines, at one quote depth. A line ending in a colon stands alone: it introduces what
 * follows ("Ada skrev:", a header), and ownWords decides about it once the block under it is known.
 */
function paragraphsOf(lines: readonly string[], words: readonly string[][], depths: readonly number[], earlier: EarlierMessages): Paragraph[] {
  const out: Paragraph[] = [];
  const introduces = (line: string) => /[:：]\s*$/u.test(line);
  for (let i = 0; i < lines.length; ) {
    if (itemAt(words, i).length === 0) {
      if (MARK.test(itemAt(lines, i))) out.push({ start: i, end: i + 1, verdict: 'mark', quoted: false, found: new Map(), repeats: 0, ownSide: false, opens: 0 });
      i++;
      continue;
    }
    const start = i++;
    const depth = itemAt(depths, start);
    if (!introduces(itemAt(lines, start))) while (i < lines.length && itemAt(words, i).length > 0 && !introduces(itemAt(lines, i)) && itemAt(depths, i) === depth) i++;
    out.push(judge(words, depths, start, i, earlier));
  }
  return out;
}

function judge(lineWords: readonly string[][], depths: readonly number[], start: number, end: number, earlier: EarlierMessages): Paragraph {
  let asQuote = 0;
  let fromOther = 0;
  let asSame = 0;
  let own = 0;
  let quoted = true;
  let allKnown = true;
  const found = new Map<number, number>();
  for (let i = start; i < end; i++) {
    const depth = itemAt(depths, i);
    if (depth === 0) quoted = false;
    const words = itemAt(lineWords, i);
    const grams = trigramsOf(words);
    if (grams.length === 0) {
      if (!knownAsQuote(earlier.lines.get(words.join(' ')) ?? 0, depth)) allKnown = false;
      continue;
    }
    let quoteHits = 0;
    let otherHits = 0;
    let sameHits = 0;
    for (const g of grams) {
      const mask = earlier.trigrams.get(g) ?? 0;
      if (knownAsQuote(earlier.otherSide.get(g) ?? 0, depth)) otherHits++;
      if (knownAsQuote(mask, depth)) quoteHits++;
      else if (mask & (1 << depth)) sameHits++;
      if (depth === 0) countOwners(found, earlier.owners.get(g) ?? 0);
    }
    if (otherHits >= grams.length * REPEATED_SHARE) fromOther++;
    if (quoteHits >= grams.length * REPEATED_SHARE) asQuote++;
    else if (quoteHits + sameHits >= grams.length * REPEATED_SHARE) asSame++;
    else own++;
  }
  const counted = asQuote + asSame + own;
  let verdict: Verdict;
  if (counted === 0) verdict = allKnown ? 'short-known' : 'short';
  else if (asQuote > 0 && asQuote >= counted * REPEATED_SHARE) verdict = 'quote';
  else if (asQuote + asSame >= counted * REPEATED_SHARE) verdict = 'same';
  else verdict = 'own';
  const ownSide = quoted && fromOther < counted * REPEATED_SHARE;
  return { start, end, verdict, quoted, found, repeats: asQuote, ownSide, opens: earlier.firstLines.get(itemAt(lineWords, start).join(' ')) ?? 0 };
}

function countOwners(found: Map<number, number>, owners: number): void {
  for (let rest = owners, n = 0; rest; rest >>>= 1, n++) if (rest & 1) found.set(n, (found.get(n) ?? 0) + 1);
}

/**
 * Rule 3's shape, per paragraph: it is in a run of unquoted repeated (and short known) paragraphs
 * that starts where an earlier message starts, repeats at least half of that message, and ends the
 * message, or is followed by history of another kind with no `>` under it (an older message the
 * client quoted the same way). A run above a `>` quote is not the one quote a reply carries.
 */
function unquotedRunsQuoting(paragraphs: readonly Paragraph[], lines: readonly string[], earlier: EarlierMessages, opensHistory: (line: string) => boolean): boolean[] {
  const out = new Array<boolean>(paragraphs.length).fill(false);
  const inRun = (p: Paragraph) => !p.quoted && (p.verdict === 'quote' || p.verdict === 'short-known');
  for (let i = 0; i < paragraphs.length; ) {
    if (!inRun(itemAt(paragraphs, i))) {
      i++;
      continue;
    }
    // A line that starts history (a header, an attribution, a mark of the markup's) starts another run.
    const startsHistory = (p: Paragraph | undefined) => p !== undefined && (p.verdict === 'mark' || opensHistory(itemAt(lines, p.start)));
    let end = i + 1;
    while (end < paragraphs.length && inRun(itemAt(paragraphs, end)) && !startsHistory(paragraphs[end])) end++;
    // The quote starts with the earlier message's first line; short lines above it are the writer's
    // ("Best," "Maria" closing the own text above a quote of a mail that closes the same way).
    let start = i;
    while (start < end && !itemAt(paragraphs, start).opens) start++;
    const found = new Map<number, number>();
    let repeats = 0;
    for (let k = start; k < end; k++) {
      for (const [n, hits] of itemAt(paragraphs, k).found) found.set(n, (found.get(n) ?? 0) + hits);
      repeats += itemAt(paragraphs, k).repeats;
    }
    const introduced = start > 0 && startsHistory(paragraphs[start - 1]);
    const opens = start < end ? itemAt(paragraphs, start).opens : 0;
    // With nothing to introduce it, a quote is of the other side's message (a writer's own message
    // repeated is sent again) and repeats more than one line of it (one line is said again).
    const quotes = (n: number, hits: number) =>
      (opens & (1 << n)) !== 0 && hits >= itemAt(earlier.sizes, n) * MIN_MESSAGE_SHARE && (introduced || (!(earlier.sameSide & (1 << n)) && (repeats >= 2 || hits >= MIN_RUN_TRIGRAMS)));
    const repeatsHalf = [...found].some(([n, hits]) => quotes(n, hits));
    // Above other history, only an introduced run is history too (an older message quoted the same
    // way under the one replied to); one right above the reply's history is the writer's text.
    const next = paragraphs[end];
    const endsOwnText = !next || (introduced && !next.quoted && startsHistory(next) && !(paragraphs[end + 1]?.quoted ?? false));
    if (start < end && repeatsHalf && endsOwnText) out.fill(true, start, end);
    i = end;
  }
  return out;
}

/** The nearest paragraph that way that is not a short known one; null at the edge. */
function nearest(paragraphs: readonly Paragraph[], from: number, step: 1 | -1): number | null {
  for (let i = from + step; i >= 0 && i < paragraphs.length; i += step) if (itemAt(paragraphs, i).verdict !== 'short-known') return i;
  return null;
}

/** Whether the nearest paragraph that way, short known ones skipped, was dropped and quoted alike; null at the edge. */
function nearestDropped(paragraphs: readonly Paragraph[], dropped: readonly boolean[], from: number, step: 1 | -1, quoted: boolean): boolean | null {
  const i = nearest(paragraphs, from, step);
  return i === null ? null : itemAt(dropped, i) && itemAt(paragraphs, i).quoted === quoted;
}

/** Number of `>` before a line's text (an HTML blockquote's mark counts as none: its `>` follows). */
function depthOf(line: string): number {
  // The pattern matches every string (all of it optional), so exec never answers null.
  const prefix = QUOTE_PREFIX.exec(line)?.[0] ?? '';
  let depth = 0;
  for (const ch of prefix) if (ch === '>') depth++;
  return Math.min(depth, MAX_DEPTH);
}
/** The marks htmlToPlain writes (own-words.ts MARKS: quote, cut, soft cut). */
const MARK = /[\uE000-\uE002]/u;
const QUOTE_PREFIX = /^[\s\uE000\uE003]*(?:>[\s\uE003]*)*/u;

/** Lower-cased words (dots, dashes and apostrophes inside a word kept), without the punctuation around them. */
function wordsOf(line: string): string[] {
  return line.toLowerCase().match(WORD) ?? [];
}
const WORD = /[\p{L}\p{N}@]+(?:[._'’-][\p{L}\p{N}@]+)*/gu;

function trigramsOf(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 < words.length; i++) out.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}
