import type { FrontMessage } from '../front/types.js';
import { htmlToPlain } from './html-to-plain.js';
import { ownWords, withoutMarks } from './own-words.js';
import { plainStyle } from './plain-style.js';
import { sliceCodeUnits } from './truncate.js';

export interface MessageTextOptions {
  /** The Highlight's text limit (default 4000); bounds how much raw input is converted. */
  maxTextLength?: number;
  /** Texts of the conversation's earlier messages, when at hand: what repeats them is history. */
  earlier?: readonly string[];
}

const DEFAULT_MAX_TEXT_LENGTH = 4000;
/** Version of the rules below; a stored text made with other rules is extracted again. */
export const TEXT_RULES = 3;
/**
 * Raw input kept per message, as a multiple of maxTextLength. HTML is mostly markup, so 25x leaves
 * room for far more visible text than a Highlight shows, while a 5 MB body is cut to ~100 KB before
 * the converter sees it: conversion time and the stored text stay bounded.
 */
const INPUT_FACTOR = 25;

/**
 * The writer's own words in one message (see ownWords: quoted history, forwarded mail and
 * signature blocks removed), from `text` when it has any, else the `body` HTML converted, else
 * `blurb`, else "". Tidied (see tidyText) but not cut to maxTextLength: the title may need its first
 * line and the store keeps it so a status-only change needs no message fetch.
 */
export function messageToText(message: FrontMessage, options: MessageTextOptions = {}): string {
  const cap = (options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH) * INPUT_FACTOR;
  const converted = convertedText(message, cap);
  return converted ? tidyText(plainStyle(ownWords(converted, { earlier: options.earlier }))) : '';
}

function convertedText(message: FrontMessage, cap: number): string {
  const plain = tidyText(withoutMarks(sliceCodeUnits(stringOrEmpty(message.text), cap)));
  if (plain) return plain;
  const body = withoutMarks(sliceCodeUnits(stringOrEmpty(message.body), cap));
  // A body without markup (chat and SMS channels) is plain text whose line breaks must survive
  // the HTML converter, which would fold them into spaces.
  const html = HAS_MARKUP.test(body) ? body : body.replace(/\n/g, '<br>');
  const fromHtml = body ? tidyText(htmlToPlain(html)) : '';
  if (fromHtml) return fromHtml;
  return tidyText(withoutMarks(sliceCodeUnits(stringOrEmpty(message.blurb), cap)));
}

const HAS_MARKUP = /<\/?[a-z][a-z0-9]*(?:\s[^>]*)?\/?>/i;

function stringOrEmpty(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// C0 and C1 control characters (\p{Cc}: U+0000-001F, U+007F-009F) except \t and \n (\r is handled
// before this runs).
const CONTROL_CHARS = /(?![\t\n])\p{Cc}/gu;
// Space-like characters that are not line breaks or tabs, folded into a plain space.
const ODD_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;

/**
 * Normalises text for display and hashing: CRLF/CR -> LF; control characters removed (\n and \t
 * kept); lone surrogates from broken UTF-8 replaced by U+FFFD (String.prototype.toWellFormed), so the
 * output is always valid UTF-16 and serialises to valid UTF-8; runs of spaces collapsed to one;
 * trailing whitespace trimmed on every line; 3+ newlines collapsed to 2; outer whitespace trimmed.
 * Every step is linear: no regex here can backtrack on long runs.
 */
export function tidyText(s: string): string {
  const cleaned = toWellFormed(s.replace(/\r\n?/g, '\n'))
    .replace(CONTROL_CHARS, '')
    .replace(ODD_SPACES, ' ')
    .replace(/ {2,}/g, ' ');
  return cleaned
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Node 20 has String.prototype.toWellFormed; the project's TypeScript lib (ES2023) does not declare it.
function toWellFormed(s: string): string {
  return (s as string & { toWellFormed(): string }).toWellFormed();
}
