// Extraction scored over the sandbox's generated mail (every client format and language, with and
// without Front's `text`): the figures npm run bench prints, held to their goals.

import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import { mailCorpus, scoreExtraction } from '../../src/sandbox/mail-corpus.ts';
import { MAIL_FORMATS } from '../../src/sandbox/mail.ts';
import { LANGUAGES } from '../../src/sandbox/mail-languages.ts';

describe('own words over a generated corpus', () => {
  const corpus = mailCorpus(7, 1200);
  const rows = scoreExtraction(corpus, (mail) => messageToText({ id: 'msg_1', text: mail.text, body: mail.body }));
  const all = rows.find((r) => r.group === 'all')!;

  it('covers every format and language', () => {
    for (const format of MAIL_FORMATS) expect(rows.some((r) => r.group.startsWith(`format ${format} `))).toBe(true);
    for (const language of LANGUAGES) expect(rows.find((r) => r.group === `language ${language}`)!.messages).toBeGreaterThan(100);
    expect(corpus.some((m) => m.foreignLines.length > 0)).toBe(true);
  });

  it('gives the own words for at least 99% and never loses one', () => {
    expect(all.messages).toBe(1200);
    expect(all.exact / all.messages).toBeGreaterThanOrEqual(0.99);
    expect(all.lostWords).toBe(0);
    expect(all.withForeignLine / all.messages).toBeLessThanOrEqual(0.01);
  });

  it('scores a non-extraction as it is: the raw text keeps quotes, an empty one loses words', () => {
    const raw = scoreExtraction(corpus, (mail) => mail.text ?? mail.body).find((r) => r.group === 'all')!;
    expect(raw.withForeignLine).toBeGreaterThan(corpus.length / 3);
    expect(scoreExtraction(corpus, () => '').find((r) => r.group === 'all')!.lostWords).toBe(corpus.length);
  });
});
