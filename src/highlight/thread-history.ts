// The thread signal (issue 24): a mail parser sees one message, front-import often holds the
// conversation's earlier messages too. A block of the new message that repeats an earlier message
// is history, whatever its language or markup: no attribution, header or `>` needs to be known.
//
// Repeats are found by word trigrams, not whole lines, because a quoting client re-wraps the text
// (and adds `>`): a line of the new message repeats when most of its trigrams are in the earlier
// messages. A line of one or two words ("Thanks,", "Ada") proves nothing either way and goes only
// with the block it sits in, and only when the earlier messages hold it too.

/** Share of a line's trigrams found in the earlier messages for the line to count as repeated. */
const REPEATED_SHARE = 0.6;
/** Earlier text read per message: a quote repeats the start of a message, and this bounds the set. */
const MAX_EARLIER_CHARS = 20_000;

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

/** The line, words and all, is a line of an earlier message ("Hi Maria," of the quoted mail). */
export function isEarlierLine(line: string, earlier: EarlierMessages): boolean {
  const words = wordsOf(line);
  return words.length > 0 && earlier.lines.has(words.join(' '));
}

type Kind = 'repeated' | 'short' | 'own' | 'blank';

/**
 * Which lines are history because they repeat an earlier message. A paragraph (lines between blank
 * lines) is history when its lines with three words or more mostly repeat; a paragraph of short
 * lines only when it sits between two such paragraphs, or at the end or start of a run of them,
 * and every line of it is in an earlier message ("Best,", "Ada" closing the quoted mail). A short
 * paragraph of the writer's own ("Works now.") has a line no earlier message holds, so it stays.
 */
export function repeatedLines(lines: readonly string[], earlier: EarlierMessages): boolean[] {
  const kinds = lines.map((line) => kindOf(line, earlier));
  const paragraphs = paragraphsOf(kinds, lines);
  const verdict = paragraphs.map((p) => paragraphVerdict(kinds, p, lines, earlier));
  const history = new Array<boolean>(lines.length).fill(false);
  let ownAbove = false;
  for (let i = 0; i < paragraphs.length; i++) {
    // Unquoted text that repeats an earlier message is history only under text of the writer's own:
    // a customer who sends the same words again, first thing, means them.
    let drop = verdict[i] === 'repeated' && (ownAbove || isQuotedParagraph(lines, paragraphs[i]!));
    if (verdict[i] === 'short-known') {
      const before = nearest(verdict, i, -1);
      const after = nearest(verdict, i, 1);
      drop = (before === 'repeated' && after !== 'own') || after === 'repeated';
    }
    if (drop) for (let l = paragraphs[i]!.start; l < paragraphs[i]!.end; l++) history[l] = true;
    else if (verdict[i] === 'own' || verdict[i] === 'short') ownAbove = true;
  }
  return history;
}

function isQuotedParagraph(lines: readonly string[], p: { start: number; end: number }): boolean {
  for (let i = p.start; i < p.end; i++) if (!/^\s*\uE003?>/u.test(lines[i]!)) return false;
  return true;
}

type Verdict = 'repeated' | 'short-known' | 'short' | 'own';

/** The nearest paragraph's verdict in a direction that is not a short known one. */
function nearest(verdict: readonly Verdict[], from: number, step: 1 | -1): Verdict | null {
  for (let i = from + step; i >= 0 && i < verdict.length; i += step) if (verdict[i] !== 'short-known') return verdict[i]!;
  return null;
}

function paragraphVerdict(kinds: readonly Kind[], p: { start: number; end: number }, lines: readonly string[], earlier: EarlierMessages): Verdict {
  let repeated = 0;
  let own = 0;
  for (let i = p.start; i < p.end; i++) {
    if (kinds[i] === 'repeated') repeated++;
    else if (kinds[i] === 'own') own++;
  }
  if (repeated + own > 0) return repeated > 0 && repeated >= (repeated + own) * REPEATED_SHARE ? 'repeated' : 'own';
  for (let i = p.start; i < p.end; i++) if (!isEarlierLine(lines[i]!, earlier)) return 'short';
  return 'short-known';
}

/**
 * Runs of lines between blank lines. A line ending in a colon opens a paragraph of its own: it
 * introduces what follows ("Ada skrev:", a header), and ownWords decides about it once the block
 * under it is known to be history.
 */
function paragraphsOf(kinds: readonly Kind[], lines: readonly string[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < kinds.length; ) {
    if (kinds[i] === 'blank') {
      i++;
      continue;
    }
    const start = i;
    i++;
    if (!/[:：]\s*$/u.test(lines[start]!)) while (i < kinds.length && kinds[i] !== 'blank' && !/[:：]\s*$/u.test(lines[i]!)) i++;
    out.push({ start, end: i });
  }
  return out;
}

function kindOf(line: string, earlier: EarlierMessages): Kind {
  const words = wordsOf(line);
  if (words.length === 0) return 'blank';
  const grams = trigramsOf(words);
  if (grams.length === 0) return 'short';
  let found = 0;
  for (const g of grams) if (earlier.trigrams.has(g)) found++;
  return found >= grams.length * REPEATED_SHARE ? 'repeated' : 'own';
}

/** Lower-cased words without the `>` of a quote and the punctuation around them. */
function wordsOf(line: string): string[] {
  return line
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._'’-]+/u)
    .map((w) => w.replace(/^[._'’-]+|[._'’-]+$/gu, ''))
    .filter(Boolean);
}

function trigramsOf(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 < words.length; i++) out.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}
