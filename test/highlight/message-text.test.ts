import { describe, expect, it } from 'vitest';
import { messageToText, tidyText } from '../../src/highlight/message-text.ts';
import type { FrontMessage } from '../../src/front/types.ts';
import { chatMessage, emailMessage } from './fixtures.ts';
import { cpuMs } from '../helpers/cpu-time.ts';

const message = (fields: Partial<FrontMessage>): FrontMessage => ({ id: 'msg_1', ...fields });
const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

describe('messageToText', () => {
  it('uses the plain text of an email, tidied', () => {
    expect(messageToText(emailMessage())).toBe(
      "Hi there,\n\nI wanted to let you know that I'm suggesting an update to Dunder Mifflin's Pranking Policy " +
        '(https://dundermifflin.com/privacy/pranks) to provide non-humorous employees greater control over ' +
        'their well-being in the office.\n\nPhyllis',
    );
  });

  it('converts an HTML-only body: links keep their URL in brackets, images vanish, tables become text', () => {
    const text = messageToText(chatMessage());
    expect(text).toBe(
      'Hello team,\n\nWhere is order 4417 (https://dundermifflin.com/orders/4417)?\n\nItem Qty\nCopy paper 12\n\nThanks & regards',
    );
  });

  it('shows a link whose text is its URL only once', () => {
    expect(messageToText(message({ body: '<a href="https://x.example/a">https://x.example/a</a>' }))).toBe(
      'https://x.example/a',
    );
  });

  it('falls back from blank text to the body, then to the blurb, then to ""', () => {
    expect(messageToText(message({ text: ' \n ', body: '<p>from body</p>', blurb: 'blurb' }))).toBe('from body');
    expect(messageToText(message({ text: null, body: '<img src="x">', blurb: 'the blurb' }))).toBe('the blurb');
    expect(messageToText(message({ text: null, body: null, blurb: null }))).toBe('');
    expect(messageToText(message({}))).toBe('');
  });

  it('ignores fields of the wrong type instead of crashing', () => {
    const hostile = { id: 'msg_1', text: 42, body: { html: true }, blurb: ['x'] } as unknown as FrontMessage;
    expect(messageToText(hostile)).toBe('');
  });

  it('keeps every word of deeply nested HTML that overflows the converter', () => {
    const depth = 20_000;
    const html =
      '<style>p { color: red }</style><p>Tom &amp; Jerry &lt;3 &#x1F600; &#233;</p>' +
      '<div>'.repeat(depth) + 'deep inside' + '</div>'.repeat(depth) + '<p>after</p>';
    const text = messageToText(message({ body: html }), { maxTextLength: 20_000 });
    expect(text).toBe('Tom & Jerry <3 😀 é\n\ndeep inside\n\nafter');
  });

  it('bounds the work on a 5 MB body: fast, and cut to 25x maxTextLength', () => {
    const body = `<p>${'lorem ipsum dolor '.repeat(300_000)}</p>`;
    expect(body.length).toBeGreaterThan(5_000_000);
    const { value: text, ms } = cpuMs(() => messageToText(message({ body }), { maxTextLength: 4000 }));
    expect(ms).toBeLessThan(2000);
    expect(text.startsWith('lorem ipsum dolor lorem')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(100_000);
    expect(text.length).toBeGreaterThan(90_000);
  });

  it('does not split a surrogate pair where it cuts a huge plain text', () => {
    const text = messageToText(message({ text: 'a'.repeat(99) + '😀'.repeat(10) }), { maxTextLength: 4 });
    expect(text).toBe('a'.repeat(99));
    expect(isWellFormed(text)).toBe(true);
  });
});

describe('tidyText', () => {
  it('normalises line endings, trailing spaces and blank-line runs', () => {
    expect(tidyText('  a  \r\nb\rc   \n\n\n\n\nd \t \n')).toBe('a\nb\nc\n\nd');
  });

  it('collapses runs of spaces, including non-breaking ones, but keeps tabs and single newlines', () => {
    expect(tidyText('one   two\u00a0\u00a0three\tfour\nfive')).toBe('one two three\tfour\nfive');
  });

  it('removes control characters but keeps \\n and \\t', () => {
    expect(tidyText('a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh')).toBe('abcdef\tg\nh');
  });

  it('replaces lone surrogates with U+FFFD and keeps valid pairs and decoded invalid UTF-8', () => {
    const decoded = Buffer.from([0x48, 0xff, 0x49]).toString('utf8');
    const out = tidyText(`x\ud800y\udc00z 😀 ${decoded}`);
    expect(out).toBe('x\ufffdy\ufffdz 😀 H\ufffdI');
    expect(isWellFormed(out)).toBe(true);
  });

  it('does not blow up on long whitespace runs', () => {
    const tabs = '\t'.repeat(200_000);
    const { value: out, ms } = cpuMs(() => tidyText(`a${tabs}x${' '.repeat(200_000)}${'\n'.repeat(200_000)}y${tabs}`));
    expect(ms).toBeLessThan(1000);
    // Compared as a boolean: a failing diff of 200 KB strings would drown the report.
    expect(out === `a${tabs}x\n\ny`).toBe(true);
  });
});
