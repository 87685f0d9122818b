// A file's batch as the bytes written: each Highlight serialised (serialize.ts) on a line of its own.
// A module of its own so `replay`'s conversion worker (pipeline/deliver/convert-worker.ts) writes the
// very bytes a file destination would, without loading the destinations' I/O.

import { serializeHighlight } from '../highlight/serialize.js';
import type { Highlight } from '../highlight/types.js';

const NEWLINE = 0x0a;

/**
 * The lines, encoded once: each straight into one buffer, which is what goes to the file. Joining
 * them into one string first copies a batch twice more (the join, then the encoding). The buffer
 * owns its memory (not Node's shared pool), so a worker can hand it over without a copy.
 */
export function ndjsonLines(highlights: readonly Highlight[]): Uint8Array {
  const lines = highlights.map(serializeHighlight);
  // Sized exactly: the bound (3 bytes per UTF-16 code unit) would hold about twice the memory, for
  // as long as the batch lives.
  const out = Buffer.allocUnsafeSlow(lines.reduce((n, line) => n + Buffer.byteLength(line) + 1, 0));
  let at = 0;
  for (const line of lines) {
    at += out.write(line, at);
    out[at++] = NEWLINE;
  }
  return out;
}
