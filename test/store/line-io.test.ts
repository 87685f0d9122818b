// The line I/O of state export / import: the bytes written are exactly the lines' UTF-8, and the
// lines read are exactly those of the whole text decoded and split, whatever the chunk size cuts
// (inside a line, inside a character, a line longer than a chunk).

import { StringDecoder } from 'node:string_decoder';
import { describe, expect, it } from 'vitest';
import { lineWriter, readLines } from '../../src/store/transfer/line-io.ts';

const LINES = ['{"a":1}', '', 'plain ascii line', 'é à ü — “quotes”', '日本語のテキスト', 'emoji 😀 and 𝄞 pairs', 'x'.repeat(40), 'lone \ud800 surrogate'];

function written(lines: readonly string[], chunkBytes: number): { bytes: Buffer; writes: number } {
  const parts: Buffer[] = [];
  const out = lineWriter((bytes) => parts.push(Buffer.from(bytes)), chunkBytes);
  for (const line of lines) out.line(line);
  out.flush();
  return { bytes: Buffer.concat(parts), writes: parts.length };
}

function read(bytes: Buffer, chunkBytes: number): string[] {
  let at = 0;
  return [
    ...readLines((buffer, offset, length) => {
      const n = Math.min(length, bytes.length - at);
      bytes.copy(buffer, offset, at, at + n);
      at += n;
      return n;
    }, chunkBytes),
  ];
}

/** What reading used to be: the whole text through a stream decoder, split on newlines, empty lines left out. */
function reference(bytes: Buffer): string[] {
  return new StringDecoder('utf8').write(bytes).split('\n').filter((line) => line !== '');
}

describe('line I/O of a state export', () => {
  it('writes each line as its UTF-8 and a newline, whatever the chunk size', () => {
    const expected = Buffer.from(LINES.map((line) => `${line}\n`).join(''), 'utf8');
    for (const chunk of [1, 7, 16, 64, 1 << 20]) expect(written(LINES, chunk).bytes.equals(expected)).toBe(true);
    // Gathered: one write for all of them when they fit.
    expect(written(LINES, 1 << 20).writes).toBe(1);
  });

  it('reads the lines back as decoding the whole text and splitting it would, whatever the chunk size', () => {
    const bytes = written(LINES, 1 << 20).bytes;
    for (const chunk of [1, 2, 3, 5, 7, 16, 64, 1 << 20]) expect(read(bytes, chunk)).toEqual(reference(bytes));
  });

  it('reads a last line without a newline, dropping an incomplete character at the very end as before', () => {
    const cut = Buffer.concat([Buffer.from('first\nlast é', 'utf8'), Buffer.from('日', 'utf8').subarray(0, 2)]);
    expect(read(cut, 4)).toEqual(['first', 'last é']);
    expect(read(cut, 4)).toEqual(reference(cut));
    const onlyCut = Buffer.concat([Buffer.from('line\n', 'utf8'), Buffer.from('日', 'utf8').subarray(0, 1)]);
    expect(read(onlyCut, 3)).toEqual(reference(onlyCut));
  });

  it('reads invalid UTF-8 inside a line as the stream decoder did', () => {
    const bytes = Buffer.concat([Buffer.from('a', 'utf8'), Buffer.from([0xe2, 0x0a, 0xff, 0x62, 0x0a])]);
    for (const chunk of [1, 2, 64]) expect(read(bytes, chunk)).toEqual(reference(bytes));
  });
});
