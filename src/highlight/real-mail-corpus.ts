// A corpus of real mail that no generator of ours wrote (issue 24): messages taken from the public
// test suites of mail-reply, signature and forward parsers, mail clients' fixtures and public
// archives, each with its source, licence and a label, the writer's own words as a person reading it
// would cut them. The data is in ./real-mail/*.yaml (one file per source, read at run time so the
// bench, which runs dist/, reads the same files as the tests); this module parses it and scores an
// extraction against it. Parsing and scoring are pure; only loadRealMailCorpus reads files.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { FrontMessage } from '../front/types.js';
import { plainStyle } from './plain-style.js';
import { itemAt } from '../shared/item-at.js';
import { getOrAdd } from '../shared/get-or-add.js';
import { packagePath } from '../package-root.js';

export const REAL_MAIL_KINDS = [
  'top-post',
  'bottom-post',
  'inline-reply',
  'forward',
  'original-message',
  'signature',
  'chat',
  'trap',
  'mailing-list-footer',
  'plain',
] as const;

const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Path in the source repository (or archive URL), with `#test_name` when taken from a test's code. */
  path: z.string().min(1),
  format: z.enum(['text', 'html']),
  /** ISO 639-1. */
  language: z.string().regex(/^[a-z]{2}$/),
  client: z.string().min(1),
  kind: z.enum(REAL_MAIL_KINDS),
  message: z.string().min(1),
  /**
   * The own words: greeting and sign-off with the name kept; quoted history, forwarded or original
   * message, signature and device line removed; for an inline reply, the answers without the quotes.
   * Empty when the message has none (a forward without a note): the Highlight then keeps the whole
   * message, as messageToText's contract says.
   */
  label: z.string(),
  /** The source's own expected output, when it has one and it differs from the label. */
  sourceExpected: z.string().optional(),
  /** Why the label differs from sourceExpected. */
  disagreement: z.string().optional(),
  note: z.string().optional(),
});

const fileSchema = z.strictObject({
  /** owner/name on GitHub, or the archive's name. */
  source: z.string().min(1),
  url: z.string().url(),
  /** The commit the messages were copied from (40 hex digits), or the archive's date. */
  commit: z.string().min(1),
  /** SPDX identifier of the licence the data is used under. */
  licence: z.enum(['MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC', 'CC0-1.0', 'CC-BY-4.0', 'public-domain']),
  note: z.string().optional(),
  messages: z.array(entrySchema).min(1),
});

export type RealMailFile = z.infer<typeof fileSchema>;

export interface RealMail extends z.infer<typeof entrySchema> {
  source: string;
  url: string;
  commit: string;
  licence: RealMailFile['licence'];
}

/** Parses one source file; throws naming the file and the field when it does not hold the schema. */
export function parseRealMailFile(text: string, name: string): RealMail[] {
  const parsed = fileSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issue = itemAt(parsed.error.issues, 0);
    throw new Error(`real-mail ${name}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const { messages, note: _note, ...origin } = parsed.data;
  return messages.map((m) => ({ ...m, ...origin }));
}

/**
 * The corpus directory. The data is not compiled in: it is read from the package's src/ whether this
 * module runs from src/ (tests) or compiled into dist/ (the bench).
 */
export function realMailDir(): string {
  return packagePath('src', 'highlight', 'real-mail');
}

export function loadRealMailCorpus(dir: string = realMailDir()): RealMail[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.flatMap((f) => parseRealMailFile(readFileSync(join(dir, f), 'utf8'), f));
}

/**
 * The message as Front would hand it over: an email's plain text in `text`, its HTML in `body`; a
 * chat or SMS message as a `body` without markup (Front's shape for those channels).
 */
export function asFrontMessage(mail: RealMail): FrontMessage {
  if (mail.format === 'html' || mail.kind === 'chat') return { id: `msg_${mail.id}`, body: mail.message };
  return { id: `msg_${mail.id}`, text: mail.message };
}

/**
 * What a message's Highlight text should be: its label, or the whole message when it has no own words,
 * in the Highlight's one list and link style (plainStyle): a label is written as the sender wrote it,
 * and how a link is bracketed is presentation, not extraction.
 */
export function expectedText(mail: RealMail): string {
  return plainStyle(mail.label.trim() ? mail.label : mail.message);
}

export interface RealMailResult {
  mail: RealMail;
  got: string;
  /** Equal to the expected text once whitespace is normalised. */
  exact: boolean;
  /** Words of the expected text missing from the output (the critical failure). */
  lostWords: string[];
  /** Words of the output not in the expected text: quoted history, signature or forward left in. */
  extraWords: string[];
}

export interface RealMailRow {
  /** "all", or "<dimension> <value>": source, language, client, format, kind. */
  group: string;
  messages: number;
  exact: number;
  /** Messages that lost at least one own word. */
  lost: number;
  /** Messages that kept words that are not the writer's (and lost none). */
  keptExtra: number;
}

export const REAL_MAIL_DIMENSIONS = ['source', 'language', 'client', 'format', 'kind'] as const;

export function scoreMessage(mail: RealMail, got: string): RealMailResult {
  const expected = expectedText(mail);
  return {
    mail,
    got,
    exact: normaliseSpace(got) === normaliseSpace(expected),
    lostWords: missingWords(expected, got),
    extraWords: missingWords(got, expected),
  };
}

/** Runs `extract` over every message and scores it. */
export function scoreRealMail(corpus: readonly RealMail[], extract: (message: FrontMessage, mail: RealMail) => string): RealMailResult[] {
  return corpus.map((mail) => scoreMessage(mail, extract(asFrontMessage(mail), mail)));
}

/** Overall, then per source, language, client, format and kind (each sorted by name). */
export function realMailRows(results: readonly RealMailResult[]): RealMailRow[] {
  const rows = new Map<string, RealMailRow>();
  const row = (group: string) => getOrAdd(rows, group, () => ({ group, messages: 0, exact: 0, lost: 0, keptExtra: 0 }));
  for (const r of results) {
    const groups = ['all', ...REAL_MAIL_DIMENSIONS.map((d) => `${d} ${r.mail[d]}`)];
    for (const group of groups) {
      const g = row(group);
      g.messages += 1;
      if (r.exact) g.exact += 1;
      if (r.lostWords.length > 0) g.lost += 1;
      else if (!r.exact && r.extraWords.length > 0) g.keptExtra += 1;
    }
  }
  const order = (group: string) => (group === 'all' ? -1 : REAL_MAIL_DIMENSIONS.indexOf(group.split(' ')[0] as (typeof REAL_MAIL_DIMENSIONS)[number]));
  return [...rows.values()].sort((a, b) => order(a.group) - order(b.group) || a.group.localeCompare(b.group));
}

/** One line per miss, for a test's or the bench's output: id, what was lost or kept. */
export function describeMiss(r: RealMailResult): string {
  const what = r.lostWords.length > 0 ? `lost ${quoteWords(r.lostWords)}` : r.extraWords.length > 0 ? `kept ${quoteWords(r.extraWords)}` : 'words equal, layout differs';
  return `${r.mail.id} (${r.mail.kind}, ${r.mail.language}, ${r.mail.client}, ${r.mail.format}): ${what}`;
}

function quoteWords(words: string[]): string {
  const shown = words.slice(0, 8).join(' ');
  return words.length > 8 ? `"${shown} …" (${words.length} words)` : `"${shown}"`;
}

export function normaliseSpace(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}

/**
 * Words of `from` that `to` lacks, counted: a word written twice must be there twice. Words are
 * compared without the punctuation around them, so a line's layout (a link in brackets, a list
 * bullet) does not count as a lost word.
 */
export function missingWords(from: string, to: string): string[] {
  const counts = new Map<string, number>();
  for (const word of words(to)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const missing: string[] = [];
  for (const word of words(from)) {
    const left = counts.get(word) ?? 0;
    if (left === 0) missing.push(word);
    else counts.set(word, left - 1);
  }
  return missing;
}

function words(s: string): string[] {
  return s
    .split(/\s+/u)
    .map((w) => w.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, ''))
    .filter(Boolean);
}
