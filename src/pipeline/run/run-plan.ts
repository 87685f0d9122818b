// What an import run fetches and how it follows its strategy: the inbox lanes it walks, its page
// streams, what the strategy watch is fed from each page, where the run continues after a switch, and
// the events stage each page belongs to.

import { lastMessageIdOf } from '../../front/types.js';
import type { ConversationStore } from '../../store/roles.js';
import { eventsStream } from '../fetch/events-source.js';
import type { Checkpoint, ImportApi, ImportDeps, ImportRequest } from './types.js';
import { current as currentStoredMessage } from '../prepare/latest-message.js';
import { listingStream } from '../fetch/listing-source.js';
import type { ImportSettings } from '../prepare/prepare.js';
import { planLanes, unionInboxes, type Lane } from '../fetch/scope.js';
import type { ConversationUpdate, PageStream, Position, SourcePage, Stage, Strategy } from '../fetch/source.js';
import type { StrategySwitch, StrategyWatch } from '../fetch/strategy-cost.js';

/**
 * One pass for every subscription: one lane for every inbox unless inbox identity matters to some
 * subscription (scoped inboxes, inbox label rules), else a lane per inbox of their scopes' union.
 */
export async function lanesFor(api: Pick<ImportApi, 'inboxes'>, settings: ImportSettings, warn: (line: string) => void): Promise<Lane[]> {
  const inboxes = unionInboxes(settings.targets);
  if (inboxes === null) return [{ inbox: null }];
  const plan = planLanes(inboxes, await api.inboxes());
  for (const name of plan.invisible) {
    warn(`inbox "${name}" is not visible to this token (private without API access, or misspelled): skipped`);
  }
  return plan.lanes;
}

/** The run's page streams over its lanes and window: each strategy's, and the one a position resumes. */
export function streamsFor(req: ImportRequest, deps: Pick<ImportDeps, 'api' | 'store' | 'settings' | 'warn'>, cp: Pick<Checkpoint, 'lanes' | 'window'>) {
  const now = () => req.startedAt * 1000;
  const staged = (after: string | null, limit: number) => deps.store.eventMessagesAfter(req.checkpointKey, after, limit);
  // The listing page read to choose the strategy, for the first events stream to reach its listing
  // stage (the opening's, or the one a switch to the listing continues with).
  let kept: SourcePage | null = null;
  const keepListed = (page: SourcePage) => {
    kept = page;
  };
  const takeListed = () => {
    const page = kept;
    kept = null;
    return page;
  };
  const events = (readAhead?: () => boolean): PageStream =>
    eventsStream(deps.api, cp.lanes, cp.window, now, staged, deps.settings.textFrom, readAhead, deps.warn, takeListed);
  const listing = (pageSize?: number): PageStream => listingStream(deps.api, cp.lanes, cp.window, now, pageSize, deps.warn);
  // A position with a stage belongs to the events strategy's walk, also after a switch to the
  // listing (its listing stage uses the messages the stream kept).
  const resume = (strategy: Strategy, position: Position | null): PageStream => (strategy === 'events' || position?.stage !== undefined ? events() : listing(req.limit));
  return { events, listing, resume, keepListed };
}

/** Where a run continues after switching to `to`: the listing keeps the messages the stream gave so far. */
export function switchedPosition(to: Strategy): Position {
  return to === 'listing' ? { stage: 'conversations', lane: 0, next: null } : { stage: 'messages', lane: 0, next: null };
}

/** Feeds a page to the watch: message-event pages on the events strategy, listing pages on the listing. */
export function observe(watch: StrategyWatch, strategy: Strategy, page: SourcePage, messageFetches: number): StrategySwitch | null {
  const sample = page.sample;
  if (!sample) return null;
  if (strategy === 'events' && sample.of === 'message events') return watch.eventsPage(sample.items, sample.fraction);
  if (strategy === 'listing' && sample.of === 'conversations') return watch.listingPage(page.updates.length, 1 + messageFetches);
  return null;
}

/** The share of a listing page's conversations whose latest message would have to be requested. */
export async function fetchShareOf(store: Pick<ConversationStore, 'snapshots'>, updates: ConversationUpdate[]): Promise<number> {
  if (updates.length === 0) return 1;
  const snapshots = await store.snapshots(updates.map((u) => u.conversation.id));
  // Held: stored, still the latest, and made with the current text rules (else it is read again).
  const held = updates.filter((u) => currentStoredMessage(snapshots.get(u.conversation.id)?.lastMessage ?? null)?.id === lastMessageIdOf(u.conversation)).length;
  return 1 - held / updates.length;
}

/** The events stage a page led to (a position without a stage is in 'messages'); none for the listing. */
export function stageOf(strategy: Strategy, resume: Position | null): Stage | undefined {
  if (strategy !== 'events') return undefined;
  return resume ? (resume.stage ?? 'messages') : 'leftovers';
}
