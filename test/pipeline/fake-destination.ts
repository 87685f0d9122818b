import type { Batch, Destination } from '../../src/destinations/types.ts';

/** Records every accepted batch; `behaviour` may throw to refuse or fail one. Keyed like HTTP unless `keyedBatches` is false (a file). */
export function fakeDestination(
  behaviour: (batch: Batch) => void | Promise<void> = () => undefined,
  maxBatchSize = 4,
  keyedBatches = true,
): Destination & { sent: Batch[] } {
  const sent: Batch[] = [];
  return {
    maxBatchSize,
    keyedBatches,
    sent,
    async send(batch) {
      await behaviour(batch);
      sent.push(batch);
    },
    async close() {},
  };
}
