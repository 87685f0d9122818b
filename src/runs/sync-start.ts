// Where a sync's fetch starts. Each subscription continues from its own cursor (one per
// destination). One new to the state starts with its initial window: from the stored
// conversations when they cover its scope over that window (no Front request), else from Front,
// which widens this run's fetch back to that window's start. One pass serves them all, so the
// fetch starts at the earliest of their starting points. One whose scope was widened since its
// cursor was recorded fills the added part's initial window the same way (scope-change.ts).

import type { Checkpoints, ConversationStore, Deliveries, MetaStore } from '../store/roles.js';
import { COVERAGE_META, syncCursorFor } from '../store/keys.js';
import { covers, type Coverage } from './coverage.js';
import { queueFromState, type SubscriptionTarget } from '../pipeline/index.js';
import { scopeMetaFor } from '../store/keys.js';
import { compareScope, configuredScope, type ConfiguredScope, type RecordedScope } from './scope-change.js';

export interface SyncStartDeps {
  store: Pick<ConversationStore, 'storedConversations'> & Pick<Deliveries, 'outbox'> & Pick<Checkpoints, 'getCursor'> & Pick<MetaStore, 'getMeta'>;
  targets: readonly SubscriptionTarget[];
  info(line: string): void;
  signal?: AbortSignal;
  /** The subscriptions as configured (inbox names), to compare with the scope recorded with a cursor. */
  configured?: readonly ConfiguredScope[];
}

export interface SyncStart {
  /** Unix seconds the run's fetch starts from. */
  since: number;
  /** It starts at (or before) a cursor a previous sync left: see MessageChoice.events. */
  followsCursor: boolean;
}

/** Where the run's fetch starts. `initialSince`: a new subscription's window start. */
export async function syncStart(deps: SyncStartDeps, initialSince: number): Promise<SyncStart> {
  const { store } = deps;
  const coverage = await store.getMeta<Coverage>(COVERAGE_META);
  const cursors = await Promise.all(deps.targets.map((t) => store.getCursor(syncCursorFor(t.key))));
  const known = cursors.some((c) => c !== undefined) || coverage !== undefined;
  const starts: number[] = [];
  for (const [i, target] of deps.targets.entries()) {
    const cursor = cursors[i];
    if (cursor) {
      starts.push(await scopeStart(deps, target, cursor.value, coverage, initialSince));
    } else if (coverage && covers(coverage, target, initialSince)) {
      const queued = await queueFromState(store, store.outbox(target.key), target, { since: initialSince, resend: false, signal: deps.signal });
      deps.info(`subscription ${target.name} is new; the state already covers its scope: ${queued} Highlight(s) since ${iso(initialSince)} queued from it, no extra Front requests`);
      starts.push(coverage.until);
    } else {
      if (known) deps.info(`subscription ${target.name} is new and widens what the state covers: fetching its initial window (since ${iso(initialSince)}) from Front`);
      starts.push(initialSince);
    }
  }
  return { since: Math.min(...starts), followsCursor: cursors.some((c) => c !== undefined) };
}

/**
 * A subscription with a cursor continues from it, unless its scope was widened since the cursor was
 * recorded: the added part then gets its initial window, from the state when it covers it, else by
 * fetching from `initialSince` (see scope-change.ts).
 */
async function scopeStart(deps: SyncStartDeps, target: SubscriptionTarget, cursor: number, coverage: Coverage | undefined, initialSince: number): Promise<number> {
  const recorded = await deps.store.getMeta<RecordedScope>(scopeMetaFor(target.key));
  if (!recorded) return cursor;
  const change = compareScope(recorded, configuredScope(target, deps.configured));
  if (change.narrowed.length > 0) {
    deps.info(`subscription ${target.name}'s scope was narrowed: conversations only in ${change.narrowed.join('; ')} are no longer sent (what was sent stays at the destination)`);
  }
  if (change.widened.length === 0) return cursor;
  const added = change.widened.join('; ');
  if (coverage && covers(coverage, target, initialSince)) {
    const queued = await queueFromState(deps.store, deps.store.outbox(target.key), target, { since: initialSince, resend: false, signal: deps.signal });
    deps.info(`subscription ${target.name}'s scope was widened (${added}): ${queued} Highlight(s) since ${iso(initialSince)} queued from the state, no extra Front requests`);
    return cursor;
  }
  deps.info(`subscription ${target.name}'s scope was widened (${added}): fetching its initial window (since ${iso(initialSince)}) from Front`);
  return Math.min(cursor, initialSince);
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

