// Extraction cost on hostile input (issue 24): 100,000 lines, a megabyte of `>` lines, HTML nested
// far deeper than any mail, lines that each look like an attribution. Every rule works line by line
// with bounded look-ahead and regexes that cannot backtrack over a whole line, so the work is
// linear. The bounds below are generous on purpose (the bench prints the real figures, well under
// 100 ms a message): a quadratic rule would take minutes on these inputs, not seconds, so the test
// catches one without depending on this machine's speed.

import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import { ownWords } from '../../src/highlight/own-words.ts';

const GENEROUS_MS = 5_000;

function timed(run: () => string): { ms: number; text: string } {
  const from = performance.now();
  const text = run();
  return { ms: performance.now() - from, text };
}

describe('own words on hostile input', () => {
  it.each([
    ['100,000 lines of log', Array.from({ length: 100_000 }, (_, i) => `line ${i}: GET /v2/export 500 at 10:${String(i % 60).padStart(2, '0')}`).join('\n')],
    ['1 MB of > lines', `Hi\n${'> quoted line of text, again and again\n'.repeat(26_000)}`],
    ['100,000 attribution-like lines', 'On Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\n'.repeat(100_000)],
    ['100,000 header-like lines', 'From: Ada <ada@acme.example>\n'.repeat(100_000)],
    ['one line of 1 MB', `${'a: b@c.d 10:00 2026 wrote '.repeat(40_000)}`],
  ])('%s, uncapped, stays linear', (_name, text) => {
    const { ms, text: out } = timed(() => ownWords(text, { earlier: [text.slice(0, 5_000)] }));
    expect(out.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(GENEROUS_MS);
  });

  it('HTML nested 10,000 deep keeps its words without a stack overflow', () => {
    const body = `${'<div><blockquote>'.repeat(5_000)}bottom${'</blockquote></div>'.repeat(5_000)}`;
    const { ms, text } = timed(() => messageToText({ id: 'msg_1', body }));
    expect(text).toBe('bottom');
    expect(ms).toBeLessThan(GENEROUS_MS);
  });
});
