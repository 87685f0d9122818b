// The thread signal (issue 24): a mail parser sees one message, front-import often holds the
// conversation's earlier messages too. A block of the new message that repeats an earlier message
// is history, whatever its language or markup: no attribution, header or `>` needs to be known.
//
// Repeats are found by word trigrams, not whole lines, because a quoting client re-wraps the text
// (and adds `>`): a line of the new message repeats when most of its trigrams are in the earlier
// messages. A line of one or two words ("Thanks,", "Ada") proves nothing either way and goes only
// with the block it opens or closes, and only when the earlier messages hold it too.

import { itemAt } from '../shared/item-at.js';

/** Share of a line's trigrams found in the earlier messages for the line to count as repeated. */
const REPEATED_SHARE = 0.6;
/** Earlier text read per message: a quote repeats the start of a message, and this bounds the set. */
const MAX_EARLIER_CHARS = 20_000;
/**
 * Trigrams an unquoted run must repeat to be history (or half the earlier messages', when fewer): a
 * quote repeats much of a message, an agent's template sentence ("Let us know if you have any
 * questions.") only a few words of it.
 */
const MIN_RUN_TRIGRAMS = 12;

export interface EarlierMessages {
  trigrams: Set<string>;
  /** Normalised lines, for the short lines that have no trigram. */
  lines: Set<string>;
}

/** The earlier messages' texts (their own words, or whole), indexed; null when there are none. */
export function indexEarlier(texts: readonly string[] | undefined): EarlierMessages | null {
  if (!texts || texts.length === 0) return null;
  const trigrams = new Set<string>();
  const lines = new Set<string>();
  for (const text of texts) {
    // Lines are indexed one by one: a trigram across two lines would make the set depend on wrapping.
    for (const line of text.slice(0, MAX_EARLIER_CHARS).split('\n')) {
      const words = wordsOf(line);
      if (words.length > 0) lines.add(words.join(' '));
      for (const t of trigramsOf(words)) trigrams.add(t);
    }
  }
  return trigrams.size > 0 ? { trigrams, lines } : null;
}

/** A line of one or two words that is, words and all, a line of an earlier message ("Hi Maria,"). */
export function isShortEarlierLine(line: string, earlier: EarlierMessages): boolean {
  const words = wordsOf(line);
  return words.length > 0 && words.length < 3 && earlier.lines.has(words.join(' '));
}

interface Paragraph {
  start: number;
  end: number;
  verdict: 'repeated' | 'short-known' | 'short' | 'own';
  /** Trigrams of its lines found in the earlier messages. */
  found: number;
  quoted: boolean;
}

/**
 * Which lines are history because they repeat an earlier message. A paragraph (lines between blank
 * lines) repeats when its lines of three words or more mostly do. A `>`-quoted one is history. An
 * unquoted one only when it is a substantial run (see MIN_RUN_TRIGRAMS), under text of the
 * writer's own and with none below it up to the next history boundary (`opensHistory`): a customer
 * who sends the same words again, first thing, means them, and an agent's template lines between
 * new ones are the agent's. A paragraph of short lines goes when every line of it is in an earlier
 * message and it opens or closes a dropped one ("Hi Maria," … "Best,", "Ada").
 */
export function repeatedLines(lines: readonly string[], earlier: EarlierMessages, opensHistory: (line: string) => boolean): boolean[] {
  const paragraphs = paragraphsOf(lines, earlier);
  const ownAfter = ownTextAfter(paragraphs, lines, opensHistory);
  const run = runTrigrams(paragraphs);
  const threshold = Math.min(MIN_RUN_TRIGRAMS, Math.ceil(earlier.trigrams.size / 2));
  const dropped = new Array<boolean>(paragraphs.length).fill(false);
  let ownAbove = false;
  paragraphs.forEach((p, i) => {
    dropped[i] = p.verdict === 'repeated' && (p.quoted || (ownAbove && !ownAfter[i] && itemAt(run, i) >= threshold));
    if (p.verdict === 'own' || p.verdict === 'short') ownAbove = true;
  });
  const history = new Array<boolean>(lines.length).fill(false);
  paragraphs.forEach((p, i) => {
    let drop = itemAt(dropped, i);
    if (p.verdict === 'short-known') {
      // Only beside history of its own kind: the writer's unquoted "—Daniel" above a `>` quote of
      // Daniel's earlier mail is the writer's.
      const before = nearestDropped(paragraphs, dropped, i, -1, p.quoted);
      const after = nearestDropped(paragraphs, dropped, i, 1, p.quoted);
      drop = after === true || (before === true && after !== false);
    }
    if (drop) for (let l = p.start; l < p.end; l++) history[l] = true;
  });
  return history;
}

/**
 * Runs of lines between blank lines. A line ending in a colon stands alone: it introduces what
 * follows ("Ada skrev:", a header), and ownWords decides about it once the block under it is known.
 */
function paragraphsOf(lines: readonly string[], earlier: EarlierMessages): Paragraph[] {
  const out: Paragraph[] = [];
  const words = lines.map(wordsOf);
  const introduces = (line: string) => /[:：]\s*$/u.test(line);
  for (let i = 0; i < lines.length; ) {
    if (itemAt(words, i).length === 0) {
      i++;
      continue;
    }
    const start = i++;
    if (!introduces(itemAt(lines, start))) while (i < lines.length && itemAt(words, i).length > 0 && !introduces(itemAt(lines, i))) i++;
    out.push(judge(lines, words, start, i, earlier));
  }
  return out;
}

function judge(lines: readonly string[], lineWords: readonly string[][], start: number, end: number, earlier: EarlierMessages): Paragraph {
  let repeated = 0;
  let own = 0;
  let found = 0;
  let quoted = true;
  let allKnown = true;
  for (let i = start; i < end; i++) {
    const line = itemAt(lines, i);
    if (!/^\s*\uE003?>/u.test(line)) quoted = false;
    const words = itemAt(lineWords, i);
    const grams = trigramsOf(words);
    if (grams.length === 0) {
      if (!earlier.lines.has(words.join(' '))) allKnown = false;
      continue;
    }
    let hits = 0;
    for (const g of grams) if (earlier.trigrams.has(g)) hits++;
    found += hits;
    if (hits >= grams.length * REPEATED_SHARE) repeated++;
    else own++;
  }
  const verdict =
    repeated + own > 0 ? (repeated > 0 && repeated >= (repeated + own) * REPEATED_SHARE ? 'repeated' : 'own') : allKnown ? 'short-known' : 'short';
  return { start, end, verdict, found, quoted };
}

/** For each paragraph: does unquoted text of the writer's own follow it before the next history boundary? */
function ownTextAfter(paragraphs: readonly Paragraph[], lines: readonly string[], opensHistory: (line: string) => boolean): boolean[] {
  const after = new Array<boolean>(paragraphs.length).fill(false);
  let seen = false;
  for (let k = paragraphs.length - 1; k >= 0; k--) {
    const p = itemAt(paragraphs, k);
    after[k] = seen;
    if (opensHistory(itemAt(lines, p.start))) seen = false;
    else if ((p.verdict === 'own' || p.verdict === 'short') && !p.quoted) seen = true;
  }
  return after;
}

/** Trigrams repeated by the run of repeated and short known paragraphs each paragraph is in. */
function runTrigrams(paragraphs: readonly Paragraph[]): number[] {
  const out = new Array<number>(paragraphs.length).fill(0);
  const inRun = (p: Paragraph) => p.verdict === 'repeated' || p.verdict === 'short-known';
  for (let i = 0; i < paragraphs.length; ) {
    if (!inRun(itemAt(paragraphs, i))) {
      i++;
      continue;
    }
    let end = i;
    let sum = 0;
    while (end < paragraphs.length && inRun(itemAt(paragraphs, end))) sum += itemAt(paragraphs, end++).found;
    out.fill(sum, i, end);
    i = end;
  }
  return out;
}

/** Whether the nearest paragraph that way, short known ones skipped, was dropped and quoted alike; null at the edge. */
function nearestDropped(paragraphs: readonly Paragraph[], dropped: readonly boolean[], from: number, step: 1 | -1, quoted: boolean): boolean | null {
  for (let i = from + step; i >= 0 && i < paragraphs.length; i += step) {
    if (itemAt(paragraphs, i).verdict !== 'short-known') return itemAt(dropped, i) && itemAt(paragraphs, i).quoted === quoted;
  }
  return null;
}

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
