// Run counts per conversation rather than per page appearance.

import type { UpsertOutcome } from '../store/types.js';
import type { ImportCounts } from './import-run.js';

/**
 * Counts conversations, not page appearances: the event stream shows a conversation on every page
 * that has one of its events. A conversation new to the store counts as created even when later
 * pages of the same run change it again.
 */
export class RunTally {
  private seen = new Set<string>();
  private outcomes = new Map<string, UpsertOutcome>();
  constructor(private counts: ImportCounts) {}

  see(id: string): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.counts.seen += 1;
  }

  record(id: string, outcome: UpsertOutcome): void {
    const before = this.outcomes.get(id);
    if (before === outcome || before === 'created' || (before === 'updated' && outcome === 'unchanged')) return;
    if (before) this.counts[before] -= 1;
    this.outcomes.set(id, outcome);
    this.counts[outcome] += 1;
  }
}
