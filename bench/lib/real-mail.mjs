// The real-mail quality table (issue 24): front-import's extraction scored over the corpus of real
// messages in src/highlight/real-mail/ (public parsers' test suites and archives, never our generator),
// overall and per source, language, client, format and kind, plus the extraction time per message.
// Pure CPU over a few hundred messages: well under a second.

import { performance } from 'node:perf_hooks';
import { messageToText } from '../../dist/highlight/message-text.js';
import { loadRealMailCorpus, realMailRows, scoreRealMail } from '../../dist/highlight/real-mail-corpus.js';
import { fixed, int, median } from './table.mjs';

const share = (n, of) => `${fixed((100 * n) / of, 1)}%`;
/** Goals of issue 24: the whole corpus, and each language on its own. */
const GOAL_ALL = 0.95;
const GOAL_LANGUAGE = 0.9;

export function realMailQualityRows(section) {
  const corpus = loadRealMailCorpus();
  // The HTML converter compiles its options on first use: once, before the clock runs.
  messageToText({ id: 'msg_warm_up', body: '<p>warm up</p>' });
  const times = [];
  const results = scoreRealMail(corpus, (message) => {
    const from = performance.now();
    const text = messageToText(message);
    times.push(performance.now() - from);
    return text;
  });
  const rows = realMailRows(results).map((r) => {
    const exact = r.exact / r.messages;
    const [dimension] = r.group.split(' ');
    const goalShare = r.group === 'all' ? GOAL_ALL : dimension === 'language' ? GOAL_LANGUAGE : undefined;
    const label = r.group === 'all' ? `real mail, all ${int(r.messages)} messages: exact own words / messages losing own words / still quoting or signed` : `… ${r.group} (${int(r.messages)})`;
    return {
      section,
      figure: label,
      value: `${share(r.exact, r.messages)} / ${int(r.lost)} / ${int(r.keptExtra)}`,
      goal: goalShare === undefined ? '- / 0 / -' : `>= ${fixed(goalShare * 100, 0)}% / 0 / -`,
      met: goalShare === undefined ? r.lost === 0 : exact >= goalShare && r.lost === 0,
    };
  });
  const sorted = [...times].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
  rows.push({ section, figure: `real mail: extraction time per message, median / p99 (${int(times.length)} messages)`, value: `${fixed(median(times), 3)} ms / ${fixed(p99, 3)} ms`, goal: '- / < 100 ms', met: p99 < 100 });
  return rows;
}
