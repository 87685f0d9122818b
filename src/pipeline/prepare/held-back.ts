// Conversations held back from a subscription because Front's custom field list was unreadable
// (subscription-highlight.ts heldBack), counted once per conversation over a run, with the earliest
// Front update among them: from there a later run that can read the list refills the
// subscription's outbox from the state (runs/held-custom-fields.ts).

import { getOrAdd } from '../../shared/get-or-add.js';

export interface HeldBack {
  subscription: string;
  /** The subscription's destination key. */
  key: string;
  conversations: number;
  /** The earliest updated_at (unix seconds) of the conversations held; null when none had one. */
  since: number | null;
}

export class HeldBackTally {
  private readonly bySubscription = new Map<string, { key: string; ids: Set<string>; since: number | null }>();

  record(target: { name: string; key: string }, conversationId: string, updatedAt: number | null): void {
    const held = getOrAdd(this.bySubscription, target.name, () => ({ key: target.key, ids: new Set<string>(), since: null as number | null }));
    held.ids.add(conversationId);
    if (updatedAt !== null && (held.since === null || updatedAt < held.since)) held.since = updatedAt;
  }

  totals(): HeldBack[] {
    return [...this.bySubscription].map(([subscription, h]) => ({ subscription, key: h.key, conversations: h.ids.size, since: h.since }));
  }
}
