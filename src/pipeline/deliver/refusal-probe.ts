// Tells a refusal of the endpoint from a refusal of items, at the cost of a few POSTs. A receiver
// that answers 400 to everything (a changed API, a schema it no longer takes) refuses every part of
// every batch; splitting each batch down to its items would send it 2N-1 POSTs and mark every item
// refused, the run would exit 7 and the cursor move on. Instead, the refused batch is split along
// one path down to its first item, then each part beside that path is sent whole: log2(N) POSTs each
// way. When every part is refused the same way, so is the whole batch, by construction: that is the
// endpoint, and the batch goes back to pending. As soon as one part is accepted or refused
// differently, the items are at fault, and the caller isolates them as usual.

import type { BatchRejectedError } from '../../destinations/types.js';
import type { Highlight } from '../../highlight/types.js';

export interface Part {
  key: string;
  highlights: Highlight[];
}

export interface ProbeIo {
  /** Sends a part: null when accepted (and settled), else the refusal; anything else throws. */
  send(part: Part): Promise<BatchRejectedError | null>;
  /** Replaces an open batch by its parts (written down before they are sent). */
  split(key: string, parts: Part[]): Promise<void>;
  /** The batch goes back to pending: its open parts are dropped (none of them was accepted). */
  release(keys: string[]): Promise<void>;
  halves(part: Part): [Part, Part];
}

export type ProbeResult =
  | { endpoint: true }
  /** The items are at fault: each part refused (to isolate further) or not yet sent, in item order. */
  | { endpoint: false; parts: Array<{ part: Part; refusal: BatchRejectedError | null }> };

/** Whether `refusal` of `batch` (2 items or more) is worth probing: an answer naming one of its items is about that item. */
export function mayBeEndpoint(batch: Part, refusal: BatchRejectedError): boolean {
  const message = refusal.responseMessage;
  return batch.highlights.length > 1 && !batch.highlights.some((h) => message.includes(h.id) || message.includes(h.conversationId));
}

export async function probeRefusal(batch: Part, refusal: BatchRejectedError, io: ProbeIo): Promise<ProbeResult> {
  const same = (answer: BatchRejectedError | null): answer is BatchRejectedError => answer !== null && answer.status === refusal.status && answer.responseMessage === refusal.responseMessage;
  const refused: Array<{ part: Part; refusal: BatchRejectedError }> = [];
  // Nearest last: the parts beside the path, from the whole batch's second half down.
  const beside: Part[] = [];
  const itemsAtFault = (extra: Array<{ part: Part; refusal: BatchRejectedError | null }>): ProbeResult => ({
    endpoint: false,
    parts: [...refused, ...extra, ...beside.reverse().map((part) => ({ part, refusal: null }))],
  });

  let current = batch;
  while (current.highlights.length > 1) {
    const [first, second] = io.halves(current);
    await io.split(current.key, [first, second]);
    beside.push(second);
    const answer = await io.send(first);
    if (!same(answer)) return itemsAtFault(answer ? [{ part: first, refusal: answer }] : []);
    current = first;
    if (current.highlights.length === 1) refused.push({ part: current, refusal: answer });
  }
  for (let part = beside.pop(); part !== undefined; part = beside.pop()) {
    const answer = await io.send(part);
    if (!same(answer)) return itemsAtFault(answer ? [{ part, refusal: answer }] : []);
    refused.push({ part, refusal: answer });
  }
  await io.release(refused.map((r) => r.part.key));
  return { endpoint: true };
}
