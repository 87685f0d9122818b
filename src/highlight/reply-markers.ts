// What the lines mail clients write around a reply look like. The words are data, one file per
// language in ./languages/; the shapes are here, built once from the union of every language's
// words, so a Swedish header label or a Polish device line works wherever a line of that kind is
// looked for. email-reply-parser knows the "On … wrote:" attribution lines (see attribution.ts); it
// has no table of header labels, forwarded-message markers or device lines, so those are ours.

import { allWords } from './languages/index.js';

const alternation = (words: readonly string[]) => [...new Set(words)].map(escapeRegExp).sort((a, b) => b.length - a.length).join('|');

/** Direction marks (U+200E/F, U+202A-E) that right-to-left clients put before a label. */
const BIDI = '[\\u200e\\u200f\\u202a-\\u202e]*';
const label = (labels: readonly string[]) => new RegExp(`^\\s*${BIDI}\\*?\\s*(?:${alternation(labels)})\\s*\\*?\\s*[:：]`, 'iu');

/** The first line of a header block ("From: Ada <ada@…>", "*Från:* …", "差出人: …"). */
export const FROM_LINE = label(allWords('from'));
/** A known label of the lines under it: sent/date, to, cc, subject. */
export const HEADER_LINE = label(allWords('header'));
/**
 * Any "Label: value" line of a header block's shape, in a language not listed: a label of one to
 * four words (letters only, optionally bold), a colon, a value. Counted only under a FROM_LINE.
 */
export const HEADER_SHAPED_LINE = /^\s*\*?[\p{L}][\p{L}\p{M}'’-]*(?: [\p{L}\p{M}'’-]+){0,3}\*?\s?[:：]\*?\s*\S/u;

const MARKERS = alternation(allWords('historyMarkers'));
/**
 * A line that starts forwarded or original mail below it: a marker framed in dashes ("-----Original
 * Message-----", also with the header run on after it, as Yahoo writes it on one line) or ending
 * in a colon ("Begin forwarded message:"). The bare words are the writer's ("Original message").
 */
export const HISTORY_MARKER = new RegExp(`^[\\s>*]*(?:[-=_]{2,}[\\s*]*(?:${MARKERS})[\\s*]*[-=_]{2,}|(?:${MARKERS})[\\s*]*[:：][\\s*]*$)`, 'iu');
/** Any short phrase framed in dashes ("-------- Αρχικό μήνυμα --------"): a marker in any language. */
export const FRAMED_LINE = /^\s*[-=_]{3,}[^-=_\n]{2,60}[-=_]{3,}\s*$/u;

/** Last words of the "wrote" verbs, lower-cased ("wrote", "écrit", "napisał(a)"): a cheap first test. */
export const WROTE_LAST_WORDS: ReadonlySet<string> = new Set(allWords('wrote').flatMap((verb) => verb.toLowerCase().split(/\s+/u).slice(-1)));

/** The verbs that end an attribution line ("wrote", "a écrit", "kirjoitti", "napisał(a)"). */
export const WROTE = new RegExp(`(?:^|[\\s"'”»>)])(?:${alternation(allWords('wrote'))})\\s*[:：]?\\s*$`, 'iu');

/** A "wrote" verb anywhere in the line, as a word: enough right above a header block already found. */
export const WROTE_WORD = new RegExp(`(?:^|\\s)(?:${alternation(allWords('wrote'))})(?=\\s|[:：]|$)`, 'iu');

/** Gmail's name-first attribution: the verb and a preposition, then the date ("… schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr"). */
export const WROTE_ON = new RegExp(`\\s(?:${alternation(allWords('wroteOn'))})\\s+\\S`, 'iu');

/**
 * An app or device name: starts with a non-space, holds no sentence punctuation, at most 40
 * characters. "Sent from my desk, is much easier…" is prose, not a device line.
 */
const APP = "[^\\s.,;!?:][^.,;!?:]{0,39}";
/** A link a client puts after the app's name ("Sent from TypeApp <http://…>"). */
const TRAILING_LINK = '(?:\\s*[(<\\[]https?://[^\\s)>\\]]{1,200}[)>\\]])?';

/** "Sent from my iPhone" and its kin: the line a phone or app mail client appends. */
export const DEVICE_LINE = new RegExp(
  `^${BIDI}(?:${allWords('device').map((source) => source.replace('APP', APP)).join('|')})\\.?${TRAILING_LINK}${BIDI}$`,
  'iu',
);

/** A sign-off line; the name under it is the writer's, contact lines under that are signature. */
export const SIGN_OFF = new RegExp(`^(?:${alternation(allWords('signOffs'))})[\\s,.!。、！]*$`, 'iu');

const GREETING = new RegExp(`^(?:${alternation(allWords('greetings'))})(?=$|[\\s,!.:;，、！])`, 'iu');
const JAPANESE_GREETING = /^(?:こんにちは|こんばんは|おはようございます|お世話になっております|お世話になります|いつもお世話になっております)[。、！!]?$/u;

/** True for a line that only greets: the greeting word, at most a few words of name, punctuation. */
export function isGreeting(line: string): boolean {
  const trimmed = line.trim();
  if (JAPANESE_GREETING.test(trimmed)) return true;
  if (!GREETING.test(trimmed)) return false;
  const words = trimmed.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words.length <= 4 && !/[?]/.test(trimmed) && (words.length <= 2 || /[,!:]\s*\S{0,3}$/u.test(trimmed));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
