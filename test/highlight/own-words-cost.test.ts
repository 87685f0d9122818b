// Extraction cost on hostile input (issue 24): long logs, a megabyte of `>` lines, lines that each
// look like an attribution or a header, one enormous line, HTML nested far deeper than any mail.
// Every rule works line by line with bounded look-ahead, regexes that cannot backtrack over a whole
// line, and a budget for the one library that parses a message per question, so the work grows
// linearly. Held without trusting this machine's speed or load: the same input at 1x and 4x its size,
// the best of three runs each in CPU time, must cost less than 10 times as much (linear work gives about 4, plus
// what allocating megabytes adds; a quadratic rule 16), unless the larger one takes under 250 ms
// anyway (a rule comparing lines pairwise takes seconds at 80,000 lines; below that, allocation and
// GC make the ratio noise). messageToText's own cap (25x the text limit) and the bench's per-message
// figures (well under 100 ms) are the rest of the story.

import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import { ownWords } from '../../src/highlight/own-words.ts';
import { cpuMs } from '../helpers/cpu-time.ts';

/** CPU milliseconds of the fastest of three runs. */
function bestOfThree(run: () => unknown): number {
  return Math.min(...[0, 1, 2].map(() => cpuMs(run).ms));
}

const LINES = 20_000;

describe('own words on hostile input grows linearly', () => {
  it.each([
    ['log lines', (n: number) => Array.from({ length: n }, (_, i) => `line ${i}: GET /v2/export 500 at 10:${String(i % 60).padStart(2, '0')}`).join('\n')],
    ['> lines', (n: number) => `Hi\n${'> quoted line of text, again and again\n'.repeat(n)}`],
    ['attribution-like lines', (n: number) => 'On Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\nok\n'.repeat(n / 2)],
    ['header-like lines', (n: number) => 'From: Ada <ada@acme.example>\n'.repeat(n)],
    ['one enormous line', (n: number) => 'a: b@c.d 10:00 2026 wrote '.repeat(n)],
  ])('%s', (_name, make) => {
    const small = make(LINES);
    const large = make(4 * LINES);
    const earlier = [small.slice(0, 5_000)];
    bestOfThree(() => ownWords(small, { earlier })); // warm up the regexes and the JIT
    const largeMs = bestOfThree(() => ownWords(large, { earlier }));
    const smallMs = bestOfThree(() => ownWords(small, { earlier }));
    expect(largeMs < 250 || largeMs / smallMs < 10, `${largeMs.toFixed(1)} CPU-ms for 4x the input of ${smallMs.toFixed(1)} CPU-ms`).toBe(true);
  });

  it('HTML nested 10,000 deep keeps its words, converted flat without a stack overflow', () => {
    const body = `${'<div><blockquote>'.repeat(5_000)}bottom${'</blockquote></div>'.repeat(5_000)}`;
    expect(messageToText({ id: 'msg_1', body })).toBe('bottom');
  });
});
