// The text quality table (issue 10): front-import's extraction scored over a seeded corpus of
// generated mail, per client format and per language. A pure function over the corpus, no server:
// it takes about a second (`npm run bench:quality` prints only this table).

import { messageToText } from '../../dist/highlight/message-text.js';
import { mailCorpus, scoreExtraction } from '../../dist/sandbox/mail-corpus.js';
import { fixed, int } from './table.mjs';

export const QUALITY_CORPUS = { seed: 1, messages: 2000 };

const share = (n, of) => `${fixed((100 * n) / of, 1)}%`;

export function qualityRows(section) {
  const corpus = mailCorpus(QUALITY_CORPUS.seed, QUALITY_CORPUS.messages);
  const rows = scoreExtraction(corpus, (mail) => messageToText({ id: 'msg_bench', text: mail.text, body: mail.body }));
  return rows.map((r) => {
    const label = r.group === 'all' ? `text quality, all ${int(r.messages)} messages (seed ${QUALITY_CORPUS.seed})` : `… ${r.group} (${int(r.messages)})`;
    const exact = r.exact / r.messages;
    return {
      section,
      figure: `${label}: exact own words / still quoting / lost own words`,
      value: `${share(r.exact, r.messages)} / ${share(r.withForeignLine, r.messages)} / ${share(r.lostWords, r.messages)}`,
      goal: '>= 99% / - / 0%',
      met: exact >= 0.99 && r.lostWords === 0,
    };
  });
}
