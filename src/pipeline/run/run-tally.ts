// The one writer of an import run's counts. Everything else in the run reports to it (a page read,
// a conversation prepared or stored, message requests made, a delivery) and reads the counts back.

import type { UpsertOutcome } from '../../store/types.js';
import type { DeliveryReport } from '../deliver/deliver-all.js';
import type { ImportCounts } from './types.js';

/** Where a conversation ends up in the counts: exactly one of these per conversation seen. */
export type Settled = UpsertOutcome | 'skipped' | 'failed';

/** Why a skipped conversation was left out: in no subscription's scope, a scope the token lacks, messages Front would not serve. */
export type SkipReason = 'outOfScope' | 'noAccess' | 'unreadable';
const SKIP_COUNT = { outOfScope: 'skippedOutOfScope', noAccess: 'skippedNoAccess', unreadable: 'skippedUnreadable' } as const;

/**
 * When a conversation's appearances end differently, the highest wins: imported (created over
 * updated over unchanged) over failed over skipped. A conversation new to the store counts as
 * created even when later pages of the same run change it again; one skipped on a page and
 * imported on a later one counts as imported only.
 */
const RANK: Record<Settled, number> = { skipped: 0, failed: 1, unchanged: 2, updated: 3, created: 4 };

/**
 * Counts conversations, not page appearances: the event stream's leftovers, the listing of each
 * inbox lane and a listing that moves while it is read all show one conversation on several pages.
 * So created + updated + unchanged + skipped + failed = seen.
 */
export class RunTally {
  readonly counts: Readonly<ImportCounts> = {
    seen: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    skippedOutOfScope: 0,
    skippedNoAccess: 0,
    skippedUnreadable: 0,
    failed: 0,
    delivered: 0,
    refused: 0,
    messageFetches: 0,
    eventMessages: 0,
    pages: 0,
  };
  private seen = new Set<string>();
  private settled = new Map<string, Settled>();
  private skipReasons = new Map<string, SkipReason>();
  /** Stored for subscriptions to come, but in no current subscription's scope (as last prepared). */
  private untaken = new Set<string>();

  private get c(): ImportCounts {
    return this.counts as ImportCounts;
  }

  see(id: string): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.c.seen += 1;
  }

  /** A prepared conversation, and whether any subscription takes it: one none takes counts as skipped, whatever the store makes of it. */
  scope(id: string, taken: boolean): void {
    if (taken) this.untaken.delete(id);
    else {
      this.untaken.add(id);
      this.settle(id, 'skipped', 'outOfScope');
    }
  }

  /** What the store made of a conversation (or 'unchanged': an older state than the stored one). */
  stored(id: string, outcome: UpsertOutcome): void {
    if (!this.untaken.has(id)) this.settle(id, outcome);
  }

  /** A conversation left out before the store: out of reach or of every scope, or not mappable. */
  leftOut(id: string, kind: 'skipped' | 'failed', reason?: SkipReason): void {
    this.settle(id, kind, reason);
  }

  messageFetches(requests: number): void {
    this.c.messageFetches += requests;
  }

  page(eventMessages: number): void {
    this.c.pages += 1;
    this.c.eventMessages += eventMessages;
  }

  delivery(report: Pick<DeliveryReport, 'delivered' | 'refused'>): void {
    this.c.delivered += report.delivered;
    this.c.refused += report.refused;
  }

  private settle(id: string, to: Settled, reason: SkipReason = 'outOfScope'): void {
    const before = this.settled.get(id);
    if (before !== undefined && RANK[before] >= RANK[to]) return;
    if (before !== undefined) this.c[before] -= 1;
    const skippedFor = this.skipReasons.get(id);
    if (skippedFor !== undefined) {
      this.c[SKIP_COUNT[skippedFor]] -= 1;
      this.skipReasons.delete(id);
    }
    this.settled.set(id, to);
    this.c[to] += 1;
    if (to === 'skipped') {
      this.skipReasons.set(id, reason);
      this.c[SKIP_COUNT[reason]] += 1;
    }
  }
}
