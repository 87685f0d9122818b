// Text lines to and from a file a chunk at a time, each line converted between UTF-16 and UTF-8 on
// its own. Converting whole megabyte chunks instead (a string built of many lines, a chunk decoded
// and then split) made every chunk a fresh large string: flattened, copied and page-faulted in, it
// cost more CPU than writing and parsing the JSON of the lines (measured on `state export` and
// `state import` of 20,000 conversations: about 0.6 s of 2 s each way).

import { StringDecoder } from 'node:string_decoder';

const NEWLINE = 0x0a;
/** UTF-8 takes at most 3 bytes for a UTF-16 code unit (4 for a surrogate pair of two). */
const MAX_UTF8_PER_UNIT = 3;

export interface LineWriter {
  /** Adds `text` and a newline; writes out whenever the buffer is full. */
  line(text: string): void;
  /** Writes out what is buffered. */
  flush(): void;
}

/** Lines encoded into one reused buffer of `chunkBytes`, handed to `write` when full (a longer line on its own). */
export function lineWriter(write: (bytes: Buffer) => void, chunkBytes: number): LineWriter {
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  const flush = () => {
    if (used === 0) return;
    write(buffer.subarray(0, used));
    used = 0;
  };
  return {
    line(text) {
      const most = text.length * MAX_UTF8_PER_UNIT + 1;
      if (used + most > buffer.length) {
        flush();
        if (most > buffer.length) {
          write(Buffer.from(`${text}\n`, 'utf8'));
          return;
        }
      }
      used += buffer.write(text, used, 'utf8');
      buffer[used++] = NEWLINE;
    },
    flush,
  };
}

/**
 * The non-empty lines of what `read` gives (fills the buffer from the offset, returns the bytes
 * read, 0 at the end), read `chunkBytes` at a time; a line longer than that grows the buffer. A
 * newline byte never occurs inside a UTF-8 character, so each line decodes on its own; the last
 * line, when the data ends without a newline, drops an incomplete character at its end, as a
 * stream decoder that is never ended does.
 */
export function* readLines(read: (buffer: Buffer, offset: number, length: number) => number, chunkBytes: number): Generator<string> {
  let buffer = Buffer.allocUnsafe(chunkBytes);
  let start = 0;
  let end = 0;
  for (;;) {
    // The unfinished line moves to the front of the buffer; one that fills it grows it.
    if (start > 0) {
      buffer.copy(buffer, 0, start, end);
      end -= start;
      start = 0;
    }
    if (end === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, end);
      buffer = bigger;
    }
    const got = read(buffer, end, buffer.length - end);
    if (got === 0) break;
    let newline = buffer.indexOf(NEWLINE, end);
    end += got;
    while (newline !== -1 && newline < end) {
      if (newline > start) yield buffer.toString('utf8', start, newline);
      start = newline + 1;
      newline = buffer.indexOf(NEWLINE, start);
    }
  }
  const last = new StringDecoder('utf8').write(buffer.subarray(start, end));
  if (last !== '') yield last;
}
