// The thread signal (issue 24): a block of the new message that repeats an earlier message of the
// conversation is history, whatever its language or markup; the writer's own words never go.

import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import { ownWords } from '../../src/highlight/own-words.ts';
import { loadRealMailCorpus, scoreMessage } from '../../src/highlight/real-mail-corpus.ts';
import { realMailThreads } from '../../src/highlight/real-mail-threads.ts';

const EARLIER = 'Hi Maria,\n\nCould you run the export again and tell me which plan you are on?\n\nBest,\nAda';
const OWN = 'The Team plan, and it still fails.\n\nThanks,\nMaria';

describe('ownWords with the earlier messages of the conversation', () => {
  it.each([
    ['an attribution in a language no rule knows', `${OWN}\n\nAda skrev:\nHi Maria,\n\nCould you run the export again and tell me which\nplan you are on?\n\nBest,\nAda`],
    ['a > block with no attribution', `${OWN}\n\n> Could you run the export again and tell me which plan you are on?\n> Ada`],
    ['the earlier message pasted with no marker at all', `${OWN}\n\nHi Maria,\n\nCould you run the export again and tell me which plan you are on?\n\nBest,\nAda`],
  ])('drops history under %s', (_name, text) => {
    expect(ownWords(text)).not.toBe(OWN);
    expect(ownWords(text, { earlier: [EARLIER] })).toBe(OWN);
  });

  it('keeps the answers of a reply written under the repeated block', () => {
    expect(ownWords(`Could you run the export again and tell me which plan you are on?\n\nThe Team plan.\n\nWorks.`, { earlier: [EARLIER] })).toBe(
      'Could you run the export again and tell me which plan you are on?\n\nThe Team plan.\n\nWorks.',
    );
    expect(ownWords(`> Could you run the export again and tell me which plan you are on?\n\nThe Team plan.\n\nWorks.`, { earlier: [EARLIER] })).toBe('The Team plan.\n\nWorks.');
  });

  it('keeps a sentence the writer repeats inside own prose, and short own lines', () => {
    const text = 'You asked me to run the export again and tell you which plan we are on.\nWe are on Team.\n\nBest,\nMaria';
    expect(ownWords(text, { earlier: [EARLIER] })).toBe(text);
  });

  it('keeps a message that only repeats the earlier one (nothing of its own left)', () => {
    expect(ownWords(EARLIER, { earlier: [EARLIER] })).toBe(EARLIER);
  });

  it('does the same with no earlier messages as without the option', () => {
    const text = `${OWN}\n\nAda skrev:\nOld text`;
    expect(ownWords(text, { earlier: [] })).toBe(ownWords(text));
  });

  it('keeps the writer’s own short sign-off above a quote of an earlier mail that ends the same way', () => {
    const earlier = 'The export ran twice tonight, both runs wrote the same file.\n\n--Daniel';
    const text = `Thank you.\n\n—Daniel\n\n${earlier.split('\n').map((line) => `> ${line}`).join('\n')}`;
    expect(ownWords(text, { earlier: [earlier] })).toBe('Thank you.\n\n—Daniel');
  });
});

describe('the thread signal on threads built from the real-mail corpus', () => {
  const cases = realMailThreads(loadRealMailCorpus());

  it('gives the exact own words far more often than the rules alone, and never loses one', () => {
    let without = 0;
    let withThread = 0;
    const lost: string[] = [];
    for (const c of cases) {
      if (scoreMessage(c.expected, messageToText(c.message)).exact) without++;
      const scored = scoreMessage(c.expected, messageToText(c.message, { earlier: [c.earlier] }));
      if (scored.exact) withThread++;
      if (scored.lostWords.length > 0) lost.push(`${c.expected.id} (${c.form}): ${scored.lostWords.join(' ')}`);
    }
    console.log(`thread signal: ${without}/${cases.length} exact without, ${withThread}/${cases.length} with`);
    expect(cases.length).toBeGreaterThan(100);
    expect(lost).toEqual([]);
    expect(withThread / cases.length).toBeGreaterThanOrEqual(0.9);
    expect(withThread - without).toBeGreaterThan(cases.length / 2);
  });
});
