import type { Batch, Destination } from '../../src/destinations/types.ts';

/** Records every accepted batch; `behaviour` may throw to refuse or fail one. */
export function fakeDestination(behaviour: (batch: Batch) => void | Promise<void> = () => undefined, maxBatchSize = 4): Destination & { sent: Batch[] } {
  const sent: Batch[] = [];
  return {
    maxBatchSize,
    sent,
    async send(batch) {
      await behaviour(batch);
      sent.push(batch);
    },
    async close() {},
  };
}
