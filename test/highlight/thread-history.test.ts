// The thread signal (issue 24): a block of the new message that repeats an earlier message of the
// conversation is history, whatever its language or markup; the writer's own words never go.

import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import { ownWords } from '../../src/highlight/own-words.ts';
import { loadRealMailCorpus, scoreMessage } from '../../src/highlight/real-mail-corpus.ts';
import { realMailThreads } from '../../src/highlight/real-mail-threads.ts';
import type { FrontMessage } from '../../src/front/types.ts';
import { earlierTexts, heldMessages } from '../../src/pipeline/prepare/earlier-messages.ts';
import { sandboxThreadCases } from '../../src/sandbox/thread-corpus.ts';

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

describe('what counts as history: a block repeated where a reply quotes', () => {
  const LOG = '> GET /v2/export 500 (Internal Server Error)\n> retrying in 5s\n> request id 347528';
  const FIRST = `Hi,\n\nThe export fails again:\n\n${LOG}\n\nThanks,\nZoë`;
  const quoted = (text: string) => text.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n');

  it('keeps a log the writer pastes again that an earlier message of the thread held (fault a)', () => {
    const again = `Hello,\n\nStill failing this morning:\n\n${LOG}\n\nThanks,\nZoë`;
    expect(ownWords(again, { earlier: [FIRST] })).toBe(again);
    // Its own pasted log stays while the quote of that earlier message below goes.
    const reply = `${again}\n\nOn Tue, Nov 24, 2026 at 06:01 Zoë <zoe@acme.example> wrote:\n${quoted(FIRST)}`;
    expect(ownWords(reply, { earlier: [FIRST] })).toBe(again);
  });

  it('keeps the log pasted again without `>` too, first thing or under own text', () => {
    const bare = LOG.replace(/^> /gmu, '');
    expect(ownWords(`${bare}\n\nSame as yesterday.`, { earlier: [FIRST] })).toBe(`${bare}\n\nSame as yesterday.`);
    expect(ownWords(`Same as yesterday:\n\n${bare}`, { earlier: [FIRST] })).toBe(`Same as yesterday:\n\n${bare}`);
  });

  it('keeps a log the writer pasted plainly before and pastes again with `>`; a quote of the own message at the end goes', () => {
    const bare = LOG.replace(/^> /gmu, '');
    const first = { text: `Hi,\n\nThe export fails again:\n\n${bare}\n\nThanks,\nZoë`, sameSide: true };
    const again = `Hello,\n\nStill failing this morning:\n\n${LOG}\n\nAny idea?`;
    expect(ownWords(again, { earlier: [first] })).toBe(again);
    // From the other side it is a quote of what they wrote, answered below.
    expect(messageToText({ id: 'msg_1', text: again }, { earlier: [{ ...first, sameSide: false }] })).toBe('Hello,\n\nStill failing this morning:\n\nAny idea?');
    // The writer's own message quoted at the end, under a new line: the follow-up's history.
    expect(ownWords(`Any news?\n\n${quoted(first.text)}`, { earlier: [first] })).toBe('Any news?');
  });

  it('drops the nested `> >` lines of a removed quote with it (fault b)', () => {
    const first = `The export fails again since the update on Monday:\n\n${LOG}`;
    const text = `We are on it, Zoë.\n\nAda\n\n${quoted(first)}`;
    expect(ownWords(text)).toContain('> > GET');
    expect(ownWords(text, { earlier: [first] })).toBe('We are on it, Zoë.\n\nAda');
    expect(ownWords(text.replace(/^> >/gmu, '>>'), { earlier: [first] })).toBe('We are on it, Zoë.\n\nAda');
  });

  it('keeps the answers of an inline reply and drops the quoted lines between them', () => {
    const earlier = 'Hi Maria,\n\nWhich plan are you on at the moment?\nDoes the export fail for every file or only for large ones?\n\nBest,\nAda';
    const text = [
      '> Which plan are you on at the moment?',
      '',
      'The Team plan.',
      '',
      '> Does the export fail for every file or only for large ones?',
      '',
      'Only for files over 10 MB.',
      '',
      'Maria',
    ].join('\n');
    expect(messageToText({ id: 'msg_1', text }, { earlier: [earlier] })).toBe('The Team plan.\n\nOnly for files over 10 MB.\n\nMaria');
  });

  it('drops an HTML blockquote with no class or attribution that repeats an earlier message', () => {
    const earlier = 'Could you run the export again and tell me which plan you are on?\nAnd which browser do you use?';
    const body = `<div>The Team plan on Firefox.</div><div>Maria</div><blockquote><div>Could you run the export again and tell me which plan you are on?</div><div>And which browser do you use?</div></blockquote>`;
    expect(messageToText({ id: 'msg_1', body })).toContain('Could you run the export again');
    expect(messageToText({ id: 'msg_1', body }, { earlier: [earlier] })).toBe('The Team plan on Firefox.\nMaria');
  });

  it('keeps a comment under a quote of an old message and drops the quote, as in an inline reply', () => {
    const old = 'Your refund of 49 EUR will be on your card within three business days.';
    const text = `Hello,\n\n> Your refund of 49 EUR will be on your card within three business days.\n\nThat was two weeks ago and nothing came.\n\nMaria`;
    expect(messageToText({ id: 'msg_1', text }, { earlier: [old] })).toBe('Hello,\n\nThat was two weeks ago and nothing came.\n\nMaria');
    // Typed again without `>`, under own text and with more below, it is the writer's.
    const retyped = `Hello,\n\nYou wrote: ${old}\n\nThat was two weeks ago.`;
    expect(ownWords(retyped, { earlier: [old] })).toBe(retyped);
  });

  it('keeps one sentence a writer sends again at the end of a new message', () => {
    const earlier = 'I wrote to you yesterday: the CSV export is still empty.';
    const text = `Hello,\n\nI tried the steps from the help center.\n\n${earlier}`;
    expect(ownWords(text, { earlier: [earlier] })).toBe(text);
  });

  it('keeps a writer\'s own earlier message sent again below new text, and drops the other side\'s', () => {
    const before = 'Since the update yesterday I cannot log in.\nThe CSV export still does not work.';
    const text = `Hello,\n\nAny news on this?\n\n${before}`;
    expect(ownWords(text, { earlier: [{ text: before, sameSide: true }] })).toBe(text);
    expect(ownWords(text, { earlier: [{ text: before, sameSide: false }] })).toBe('Hello,\n\nAny news on this?');
    // Under an introduction it is a quote, whoever wrote it.
    expect(ownWords(`Any news on this?\n\n01.12.2026 09:12 - Maria:\n${before}`, { earlier: [{ text: before, sameSide: true }] })).toBe('Any news on this?');
  });

  it('gives the same text with no earlier messages, or none that the message repeats', () => {
    for (const text of [FIRST, `Thanks!\n\nOn Tue, Nov 24, 2026 at 06:01 Zoë <zoe@acme.example> wrote:\n${quoted(FIRST)}`, `Fine.\n\n${quoted('Unrelated words written long ago by someone')}`]) {
      expect(ownWords(text, { earlier: [] })).toBe(ownWords(text));
      expect(ownWords(text, { earlier: ['Nothing in common with the message at all, really.'] })).toBe(ownWords(text));
    }
  });
});

describe('the thread signal on the sandbox\'s generated threads', () => {
  it('never loses an own word, and keeps every text the rules get right alone', () => {
    const cases = sandboxThreadCases(91, 60);
    const misses: string[] = [];
    for (const c of cases) {
      // As an import's listing page gives them: the nearest three, own words, marked by side.
      const earlier = earlierTexts(c.message as FrontMessage, heldMessages(undefined, []), c.earlier as FrontMessage[]);
      const got = messageToText(c.message as FrontMessage, { earlier });
      if (got.replace(/\s+/gu, ' ') !== c.ownWords.replace(/\s+/gu, ' ')) misses.push(`${c.message.id}: ${JSON.stringify(got)}`);
    }
    expect(cases.length).toBeGreaterThan(100);
    // Both faults the signal once had are among them: a quote holding a `> >` log, and a writer
    // pasting again a log an earlier message of the thread held.
    expect(cases.some((c) => /^> > GET/mu.test(c.message.text ?? ''))).toBe(true);
    expect(cases.some((c) => /^> GET/mu.test(c.ownWords) && c.earlier.some((e) => /^> GET/mu.test(e.own_words ?? '')))).toBe(true);
    expect(misses).toEqual([]);
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
    // The replies it leaves whole quote an earlier message of one line or a few words: as short a
    // repeat as a writer sending one sentence again (which the sandbox's threads do), so it stays.
    expect(withThread / cases.length).toBeGreaterThanOrEqual(0.75);
    expect(withThread - without).toBeGreaterThan(cases.length / 2);
  });
});
