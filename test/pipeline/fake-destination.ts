import { batchKey, type Batch, type KeyedDestination, type LineDestination } from '../../src/destinations/types.ts';
import type { Highlight } from '../../src/highlight/types.ts';

type Behaviour = (batch: Batch) => void | Promise<void>;

/** Records every accepted batch, keyed like HTTP; `behaviour` may throw to refuse or fail one. */
export function fakeDestination(behaviour: Behaviour = () => undefined, maxBatchSize = 4): KeyedDestination & { sent: Batch[] } {
  return { ...recording(behaviour, maxBatchSize), keyedBatches: true };
}

/**
 * The same for a file: lines sent as they are (`replay`) are read back as a reader of the file
 * reads them, and recorded as the batch of those Highlights.
 */
export function fakeFileDestination(behaviour: Behaviour = () => undefined, maxBatchSize = 4): LineDestination & { sent: Batch[] } {
  const destination = recording(behaviour, maxBatchSize);
  return {
    ...destination,
    keyedBatches: false,
    sendLines(lines) {
      const highlights = Buffer.from(lines)
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Highlight);
      return destination.send({ key: batchKey(highlights), highlights });
    },
  };
}

function recording(behaviour: Behaviour, maxBatchSize: number) {
  const sent: Batch[] = [];
  return {
    maxBatchSize,
    sent,
    async send(batch: Batch) {
      await behaviour(batch);
      sent.push(batch);
    },
    async close() {},
  };
}
