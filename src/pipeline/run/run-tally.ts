// Run counts per conversation rather than per page appearance.

import type { UpsertOutcome } from '../../store/types.js';
import type { ImportCounts } from './types.js';

/**
 * Counts conversations, not page appearances: the event stream shows a conversation on every page
 * that has one of its events. A conversation new to the store counts as created even when later
 * pages of the same run change it again.
 */
export class RunTally {
  private seen = new Set<string>();
  private outcomes = new Map<string, UpsertOutcome>();
  /** Stored for subscriptions to come, but in no current subscription's scope. */
  private unscoped = new Set<string>();
  constructor(private counts: ImportCounts) {}

  /** Whether any subscription takes the conversation: one that none takes counts as skipped, not created or updated. */
  scope(id: string, taken: boolean): void {
    if (taken) {
      if (this.unscoped.delete(id)) this.counts.skipped -= 1;
    } else if (!this.unscoped.has(id)) {
      this.unscoped.add(id);
      this.counts.skipped += 1;
    }
  }

  see(id: string): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.counts.seen += 1;
  }

  record(id: string, outcome: UpsertOutcome): void {
    if (this.unscoped.has(id)) return;
    const before = this.outcomes.get(id);
    if (before === outcome || before === 'created' || (before === 'updated' && outcome === 'unchanged')) return;
    if (before) this.counts[before] -= 1;
    this.outcomes.set(id, outcome);
    this.counts[outcome] += 1;
  }
}
