// The conversion worker of `replay` (convert-workers.ts): pages of stored rows in, their lines out,
// in the order they came. The lines' memory is handed over, not copied.

import { parentPort, workerData } from 'node:worker_threads';
import type { StoredRow } from '../../store/rows.js';
import { rulesOf, type ConversionRules, type WorkerAnswer } from './conversion-rules.js';
import { pageLines, type PageLines } from './page-lines.js';

/**
 * Rows converted at a time. A page is converted a part at a time, each part's rows let go once
 * converted, so what it holds alive at once fits the worker's small young generation (WORKER_HEAP in
 * convert-workers.ts) and little is promoted: 100,000 conversations replayed in the same time as
 * whole pages with the default heap, at 175 MB peak RSS instead of 190 (whole pages in the small
 * heap: 1.4x the time).
 */
const PART = 100;

const rules = rulesOf(workerData as ConversionRules);
const port = parentPort;

port?.on('message', (rows: Array<StoredRow | null>) => {
  let answer: WorkerAnswer;
  try {
    answer = { page: inParts(rows) };
  } catch {
    // The main thread converts this page itself, and fails there with the error itself.
    answer = { failed: true };
  }
  port.postMessage(answer, 'page' in answer ? [answer.page.lines.buffer as ArrayBuffer] : []);
});

/** pageLines of the whole page, PART rows at a time; empties `rows` as it goes. */
function inParts(rows: Array<StoredRow | null>): PageLines {
  const items: PageLines['items'] = [];
  const parts: Uint8Array[] = [];
  for (let at = 0; at < rows.length; at += PART) {
    const part = pageLines(rows.slice(at, at + PART) as StoredRow[], rules);
    rows.fill(null, at, at + PART);
    items.push(...part.items);
    parts.push(part.lines);
  }
  return { items, lines: joined(parts) };
}

/** The parts in one buffer of its own (not Node's shared pool, which a transfer would take away from this thread). */
function joined(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = Buffer.allocUnsafeSlow(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
