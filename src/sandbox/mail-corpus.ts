// A seeded corpus of generated mails with their ground truth, for scoring text extraction without
// a workspace or a server (npm run bench's quality table, test/highlight/corpus.test.ts): every
// format and language, each message in both forms Front may send (with `text`, and `body` only).

import { LANGUAGES } from './mail-languages.js';
import { generateMail, type GeneratedMail, type MailContext, type Person } from './mail.js';
import { seededRandom, type Random } from './random.js';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, SUBJECTS } from './vocabulary.js';
import { itemAt } from '../shared/item-at.js';
import { getOrAdd } from '../shared/get-or-add.js';

export interface CorpusMail extends GeneratedMail {
  /** The form scored: Front's `text` when it has one, or only the HTML `body`. */
  form: 'text' | 'body';
}

export function mailCorpus(seed: number, count: number): CorpusMail[] {
  const rng = seededRandom(seed, 'corpus');
  const out: CorpusMail[] = [];
  for (let i = 0; out.length < count; i++) {
    const inbound = rng.chance(0.8);
    const customer = person(rng);
    const agent = person(rng, true);
    const replyTo = rng.chance(0.8);
    const language = itemAt(LANGUAGES, i % LANGUAGES.length);
    const quotedWriter = inbound ? agent : customer;
    const ctx: MailContext = {
      inbound,
      writer: inbound ? customer : agent,
      reader: inbound ? agent : customer,
      subject: rng.pick(SUBJECTS).replace('{n}', String(rng.int(1000, 9999))),
      language,
      quoted: replyTo
        ? {
            ownWords: generateMail(rng.int(0, 2 ** 31), { inbound: !inbound, writer: quotedWriter, reader: customer, subject: '', language, quoted: null }).ownWords,
            writer: quotedWriter,
            atMs: Date.UTC(2026, rng.int(0, 11), rng.int(1, 28), rng.int(0, 23), rng.int(0, 59)),
          }
        : null,
    };
    const mail = generateMail(rng.int(0, 2 ** 31), ctx);
    if (mail.text !== undefined) out.push({ ...mail, form: 'text' });
    out.push({ ...mail, text: undefined, form: 'body' });
  }
  return out.slice(0, count);
}

function person(rng: Random, teammate = false): Person {
  const first = rng.pick(FIRST_NAMES);
  const name = teammate || rng.chance(0.85) ? `${first} ${rng.pick(LAST_NAMES)}` : null;
  return { name, handle: `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '') || 'user'}${rng.int(1, 99)}@${rng.pick(EMAIL_DOMAINS)}` };
}

export interface QualityRow {
  /** "all", a format or a language. */
  group: string;
  messages: number;
  /** Text equal to the own words after whitespace normalisation. */
  exact: number;
  /** Text still holding a line of the quote, forwarded mail or signature. */
  withForeignLine: number;
  /** Text missing a word of the own words. */
  lostWords: number;
}

/** Scores an extraction over the corpus: overall, per client format, per language. */
export function scoreExtraction(corpus: CorpusMail[], extract: (mail: CorpusMail) => string): QualityRow[] {
  const rows = new Map<string, QualityRow>();
  const row = (group: string) => getOrAdd(rows, group, () => ({ group, messages: 0, exact: 0, withForeignLine: 0, lostWords: 0 }));
  for (const mail of corpus) {
    const got = extract(mail);
    const lines = new Set(got.split('\n').map((line) => line.replace(/^>\s?/, '').trim()));
    const exact = normalise(got) === normalise(mail.ownWords);
    const foreign = mail.foreignLines.some((line) => lines.has(line));
    const lost = lostWord(mail.ownWords, got);
    for (const group of ['all', `format ${mail.format} (${mail.form})`, `language ${mail.language}`]) {
      const r = row(group);
      r.messages += 1;
      r.exact += exact ? 1 : 0;
      r.withForeignLine += foreign ? 1 : 0;
      r.lostWords += lost ? 1 : 0;
    }
  }
  return [...rows.values()].sort((a, b) => (a.group === 'all' ? -1 : b.group === 'all' ? 1 : a.group.localeCompare(b.group)));
}

function normalise(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** True when some word of `own` occurs fewer times in `got` than in `own`. */
function lostWord(own: string, got: string): boolean {
  const counts = new Map<string, number>();
  for (const word of got.split(/\s+/)) counts.set(word, (counts.get(word) ?? 0) + 1);
  for (const word of own.split(/\s+/).filter(Boolean)) {
    const left = counts.get(word) ?? 0;
    if (left === 0) return true;
    counts.set(word, left - 1);
  }
  return false;
}
