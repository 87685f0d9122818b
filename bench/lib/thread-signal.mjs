// The thread signal's gain (issue 24): threads built from the real-mail corpus (a reply quoting the
// previous corpus message in forms no rule knows, see src/highlight/real-mail-threads.ts), scored
// with and without the earlier message at hand; the sandbox's generated conversations, each message
// given the messages before it as an import's listing page gives them; and the cost of hostile
// input per message.

import { performance } from 'node:perf_hooks';
import { messageToText } from '../../dist/highlight/message-text.js';
import { loadRealMailCorpus, scoreMessage } from '../../dist/highlight/real-mail-corpus.js';
import { realMailThreads, THREAD_FORMS } from '../../dist/highlight/real-mail-threads.js';
import { earlierTexts, heldMessages } from '../../dist/pipeline/prepare/earlier-messages.js';
import { sandboxThreadCases } from '../../dist/sandbox/thread-corpus.js';
import { fixed, int } from './table.mjs';

const share = (n, of) => `${fixed((100 * n) / of, 1)}%`;

export function threadSignalRows(section) {
  const cases = realMailThreads(loadRealMailCorpus());
  const tally = (pick) => {
    const chosen = cases.filter(pick);
    let without = 0;
    let withThread = 0;
    let lost = 0;
    for (const c of chosen) {
      if (scoreMessage(c.expected, messageToText(c.message)).exact) without++;
      const scored = scoreMessage(c.expected, messageToText(c.message, { earlier: [c.earlier] }));
      if (scored.exact) withThread++;
      if (scored.lostWords.length > 0) lost++;
    }
    return { n: chosen.length, without, withThread, lost };
  };
  const row = (label, t) => ({
    section,
    figure: `${label}: exact own words without / with the thread signal, messages losing own words`,
    value: `${share(t.without, t.n)} / ${share(t.withThread, t.n)}, ${int(t.lost)}`,
    goal: '- / > without, 0',
    met: t.withThread > t.without && t.lost === 0,
  });
  return [
    row(`threads built from the real mail, all ${int(cases.length)} replies`, tally(() => true)),
    ...THREAD_FORMS.map((form) => row(`… quoted ${form}`, tally((c) => c.form === form))),
  ];
}

/** Seeds and size of the sandbox workspaces scored (the sandbox's default size). */
const SANDBOX_SEEDS = [1, 2, 3];
const SANDBOX_CONVERSATIONS = 200;

const sameWords = (a, b) => a.replace(/\s+/gu, ' ').trim() === b.replace(/\s+/gu, ' ').trim();

/** True when some word of `own` occurs fewer times in `got` than in `own`. */
function losesWord(own, got) {
  const counts = new Map();
  for (const word of got.split(/\s+/u)) counts.set(word, (counts.get(word) ?? 0) + 1);
  for (const word of own.split(/\s+/u).filter(Boolean)) {
    const left = counts.get(word) ?? 0;
    if (left === 0) return true;
    counts.set(word, left - 1);
  }
  return false;
}

/**
 * The sandbox's threads (nested quotes, a customer pasting the same log twice, agents' template
 * lines): every message after the first, its earlier messages chosen by the pipeline's own
 * earlierTexts from the listing page (nearest three, own words).
 */
export function sandboxThreadRows(section) {
  const cases = SANDBOX_SEEDS.flatMap((seed) => sandboxThreadCases(seed, SANDBOX_CONVERSATIONS));
  let without = 0;
  let withThread = 0;
  let lostWithout = 0;
  let lost = 0;
  for (const c of cases) {
    const alone = messageToText(c.message);
    const got = messageToText(c.message, { earlier: earlierTexts(c.message, heldMessages(undefined, []), c.earlier) });
    if (sameWords(alone, c.ownWords)) without++;
    if (sameWords(got, c.ownWords)) withThread++;
    if (losesWord(c.ownWords, alone)) lostWithout++;
    if (losesWord(c.ownWords, got)) lost++;
  }
  const n = cases.length;
  return [
    {
      section,
      figure: `sandbox's generated threads (seeds ${SANDBOX_SEEDS.join(', ')}, ${int(n)} replies): exact own words without / with the thread signal, messages losing own words without / with`,
      value: `${share(without, n)} / ${share(withThread, n)}, ${int(lostWithout)} / ${int(lost)}`,
      goal: '- / >= without, 0 / 0',
      met: withThread >= without && lost === 0,
    },
  ];
}

/** Hostile input: each must stay under 100 ms per message (issue 24). */
const HOSTILE = {
  '100,000 lines': { id: 'msg_h1', text: Array.from({ length: 100_000 }, (_, i) => `line ${i}: ok`).join('\n') },
  '1 MB of > lines': { id: 'msg_h2', text: `Hi\n${'> quoted line of text\n'.repeat(50_000)}` },
  'HTML nested 10,000 deep': { id: 'msg_h3', body: `${'<div><blockquote>'.repeat(5_000)}bottom${'</blockquote></div>'.repeat(5_000)}` },
  '100,000 attribution-like lines': { id: 'msg_h4', text: 'On Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\n'.repeat(100_000) },
};

export function hostileInputRows(section) {
  messageToText({ id: 'msg_warm_up', body: '<p>warm up</p>' });
  return Object.entries(HOSTILE).map(([name, message]) => {
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const from = performance.now();
      messageToText(message);
      runs.push(performance.now() - from);
    }
    const best = Math.min(...runs);
    return { section, figure: `text extraction, hostile input: ${name} (best of 5)`, value: `${fixed(best, 1)} ms`, goal: '< 100 ms', met: best < 100 };
  });
}
