// One import run, shared by backfill and sync: fetch pages -> map -> persist each page together with
// its checkpoint (one transaction) -> deliver the outbox -> move the cursor only when the whole run
// succeeded. A crash at any point leaves either the previous checkpoint or this page's; the next run
// resumes from there and re-sends nothing that was accepted.

import { ScopeError } from '../errors.js';
import { lastMessageIdOf, type FrontConversation, type FrontInbox, type FrontMessage } from '../front/types.js';
import { mapHighlight } from '../highlight/map.js';
import type { LabelRule, TextFrom } from '../highlight/types.js';
import type { Destination } from '../destinations/types.js';
import type { Checkpoints, ConversationStore, ImportStaging, Outbox } from '../store/roles.js';
import type { ConversationSnapshot, UpsertItem, UpsertOutcome } from '../store/types.js';
import { deliverPending, stopIfAborted, type DeliveryCounts } from './deliver.js';
import { eventsStream } from './events-source.js';
import { current as currentStoredMessage, resolveMessages, type MessageApi } from './latest-message.js';
import { listingStream } from './listing-source.js';
import { PageWriter } from './page-writer.js';
import { mapStatus } from '../highlight/status.js';
import { becameHidden, inScope, statusMayBeInScope, needsInboxes, planLanes, type Lane, type ScopeFilter } from './scope.js';
import { statusNames, type StatusApi, type StatusNames } from './status-names.js';
import { allTextCandidateKeys, textCandidatesKey } from './text-candidates.js';
import type { ConversationLookupApi, ConversationUpdate, EventsApi, ListingApi, PageStream, Position, SourcePage, Stage, Strategy, Window } from './source.js';
import { probeDensity } from './density-probe.js';
import { openFetch, type StrategyMode, type StrategyPlan } from './strategy-choice.js';
import { StrategyWatch, type StrategySwitch } from './strategy-cost.js';
import { isUnreadableMessages, type PoisonedConversations } from './poisoned.js';

export interface ImportApi extends EventsApi, ListingApi, ConversationLookupApi, MessageApi, StatusApi {
  inboxes(): Promise<FrontInbox[]>;
}

export interface ImportSettings {
  scope: ScopeFilter & { inboxes: string[] };
  labelRules: LabelRule[];
  maxTextLength: number;
  /** Which message the text comes from (highlights.textFrom). */
  textFrom: TextFrom;
}

export interface ImportRequest {
  checkpointKey: string;
  /** Used when no checkpoint exists; a checkpoint's own window wins (same run, resumed). */
  window: Window;
  /** Unix seconds when this run's fetching starts. */
  startedAt: number;
  dryRun: boolean;
  limit?: number;
  /** Default auto: chosen by estimated cost, and switched mid-run when the other becomes cheaper. */
  strategy?: StrategyMode;
  /** The window starts at the cursor a previous sync left (see MessageChoice.events). */
  followsCursor?: boolean;
}

export interface ImportProgress {
  phase: 'delivering backlog' | 'fetching' | 'delivering';
  /** While fetching with the events strategy: which part of the fetch the page belonged to. */
  stage?: Stage;
  fraction: number;
  counts: ImportCounts;
}

/** The store roles an import run uses. */
export type ImportStore = ConversationStore & Outbox & ImportStaging & Checkpoints;

export interface ImportDeps {
  api: ImportApi;
  store: ImportStore;
  destination: Destination | null;
  settings: ImportSettings;
  signal: AbortSignal;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** Front's clock at one of ours, never later than it was (from Date headers); null when unknown. */
  frontTime?: (localMs: number) => number | null;
  warn(line: string): void;
  debug(line: string): void;
  progress(p: ImportProgress): void;
  /** Conversations whose messages Front would not serve: retried first, and recorded when met. */
  poisoned?: PoisonedConversations;
}

export interface ImportCounts {
  seen: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  delivered: number;
  messageFetches: number;
  /** Messages read from the event stream. */
  eventMessages: number;
  pages: number;
}

export interface ImportResult {
  strategy: Strategy;
  strategyReason: string;
  /** The estimates behind the choice and any switch; null when the run fetched nothing. */
  plan: StrategyPlan | null;
  window: Window;
  /** Unix seconds the (possibly resumed) fetch began: the cursor may not pass it. */
  fetchStartedAt: number;
  resumed: boolean;
  complete: boolean;
  counts: ImportCounts;
  pending: number;
  /** Set when delivery failed; the items stay pending. */
  deliveryError: unknown;
}

interface Checkpoint {
  strategy: Strategy;
  window: Window;
  fetchStartedAt: number;
  lanes: Lane[];
  position: Position | null;
  complete: boolean;
  /** How the strategy was chosen and when it switched; absent in checkpoints of older versions. */
  plan?: StrategyPlan | null;
}

export async function runImport(req: ImportRequest, deps: ImportDeps): Promise<ImportResult> {
  const { store, signal } = deps;
  const counts: ImportCounts = { seen: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, delivered: 0, messageFetches: 0, eventMessages: 0, pages: 0 };
  const tally = new RunTally(counts);
  const deliver = async (phase: ImportProgress['phase']): Promise<unknown> => {
    if (req.dryRun || !deps.destination) return null;
    // The backlog phase is shown only once something of it is delivered: usually there is none.
    if (phase !== 'delivering backlog') deps.progress({ phase, fraction: 1, counts });
    try {
      const done: DeliveryCounts = await deliverPending(store, deps.destination, {
        signal,
        warn: deps.warn,
        onBatch: (c) => deps.progress({ phase, fraction: 1, counts: { ...counts, delivered: counts.delivered + c.delivered } }),
      });
      counts.delivered += done.delivered;
      counts.failed += done.failed;
      return null;
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      return err;
    }
  };

  // The backlog first, so a destination that came back receives items in their original order.
  let deliveryError = await deliver('delivering backlog');

  if (deps.poisoned && !req.dryRun) await deps.poisoned.retry({ api: deps.api, store, settings: deps.settings, warn: deps.warn });

  const saved = await store.getCheckpoint<Checkpoint>(req.checkpointKey);
  const resumed = Boolean(saved && !saved.complete);
  // Messages kept by an earlier run under this key belong to a fetch that is not being resumed.
  const clearStaged = () => Promise.all([req.checkpointKey, ...allTextCandidateKeys(req.checkpointKey)].map((key) => store.clearEventMessages(key)));
  if (!saved) await clearStaged();
  let cp: Checkpoint = saved ?? {
    strategy: 'events',
    window: req.window,
    fetchStartedAt: req.startedAt,
    lanes: await lanesFor(deps),
    position: null,
    complete: false,
    plan: null,
  };
  // Ticket status names are read once per run, when the first conversation needs one.
  const statusName = statusNames(deps.api, deps.warn);
  let strategyReason = '';

  if (!cp.complete) {
    const now = () => req.startedAt * 1000;
    const events = (readAhead?: () => boolean): PageStream =>
      eventsStream(deps.api, cp.lanes, cp.window, now, (after, limit) => store.eventMessagesAfter(req.checkpointKey, after, limit), deps.settings.textFrom, readAhead, deps.warn);
    const listing = (pageSize?: number): PageStream => listingStream(deps.api, cp.lanes, cp.window, now, pageSize, deps.warn);
    // A position with a stage belongs to the events strategy's walk, also after a switch to the
    // listing (its listing stage uses the messages the stream kept).
    const resumeStream = (strategy: Strategy, position: Position | null): PageStream =>
      strategy === 'events' || position?.stage !== undefined ? events() : listing(req.limit);
    const opening = await openFetch(
      { mode: req.strategy ?? 'auto', limit: req.limit, resume: resumed ? { strategy: cp.strategy, position: cp.position, plan: cp.plan ?? null } : null },
      {
        events,
        listing,
        resume: resumeStream,
        fetchShare: (updates) => fetchShareOf(store, updates),
        density: () => probeDensity(deps.api, cp.lanes, cp.window, cp.window.until ?? req.startedAt),
      },
    );
    // Without events access a resumed events checkpoint starts over on the listing.
    if (opening.strategy !== cp.strategy && resumed) cp = { ...cp, position: null };
    cp = { ...cp, strategy: opening.strategy, plan: opening.plan };
    strategyReason = opening.reason;
    deps.debug(`strategy ${opening.strategy}: ${opening.reason}`);
    let pages = opening.pages;
    // Watched only while the choice was made by cost and has not switched yet.
    let watching =
      opening.plan.mode === 'auto' && opening.plan.estimate && opening.plan.switches.length === 0
        ? new StrategyWatch(opening.plan.estimate, opening.plan.sampleEvents, resumed ? null : 0)
        : null;
    // A new fetch starts on Front's clock: the cursor derived from it must not run ahead of the
    // event times Front stamps, whatever this machine's clock says.
    const frontStart = saved ? null : deps.frontTime?.(req.startedAt * 1000);
    if (frontStart != null) cp = { ...cp, fetchStartedAt: frontStart / 1000 };
    const writer = new PageWriter({
      store,
      runKey: req.checkpointKey,
      textFrom: deps.settings.textFrom,
      saveCheckpoint: !req.dryRun,
      clock: deps.clock,
      onUpsert: (id, outcome) => tally.record(id, outcome),
    });
    let limitReached = false;
    const unreadable: { id: string; error: string }[] = [];
    try {
      for (let step = await pages.next(); !step.done; step = await pages.next()) {
        const page = step.value;
        if (page.updates.length > 0) await writer.flush();
        const fetchesBefore = counts.messageFetches;
        const events = cp.strategy === 'events' ? { since: cp.window.since, followsCursor: req.followsCursor === true } : null;
        const items = await prepare(page, deps, counts, tally, { runKey: req.checkpointKey, statusName, events, unreadable });
        cp = { ...cp, position: page.resume, complete: page.resume === null };
        await writer.add(page, items, cp);
        counts.pages += 1;
        counts.eventMessages += page.messages.length;
        deps.progress({ phase: 'fetching', stage: stageOf(cp.strategy, page.resume), fraction: page.progress, counts });
        if (req.limit !== undefined && counts.seen >= req.limit) {
          limitReached = true;
          break;
        }
        stopIfAborted(signal);
        const change = watching && page.resume ? observe(watching, cp.strategy, page, counts.messageFetches - fetchesBefore) : null;
        if (change) {
          // One switch per run: the strategy it leaves for stays the cheaper for the rest of the window.
          watching = null;
          await writer.flush();
          cp = { ...cp, strategy: change.to, position: switchedPosition(change.to), plan: { ...cp.plan!, switches: [...cp.plan!.switches, change] } };
          if (!req.dryRun) await store.setCheckpoint(req.checkpointKey, cp);
          await pages.return(undefined);
          pages = resumeStream(cp.strategy, cp.position)(cp.position);
          deps.debug(`strategy: switched from ${change.from} to ${change.to}: ${change.reason}`);
        }
      }
    } finally {
      // Pages fully read are kept whatever stopped the run: a resumed run does not fetch them again.
      await writer.flush();
      if (!req.dryRun) await deps.poisoned?.record(unreadable);
    }
    if (limitReached) await pages.return(undefined);
    if (!limitReached && !cp.complete) {
      cp = { ...cp, position: null, complete: true };
      if (!req.dryRun) await store.setCheckpoint(req.checkpointKey, cp);
    }
    if (cp.complete) await clearStaged();
  }

  if (deliveryError === null) deliveryError = await deliver('delivering');
  const switches = cp.plan?.switches ?? [];
  return {
    strategy: cp.strategy,
    strategyReason: strategyReason + switches.map((sw) => `; switched from ${sw.from} to ${sw.to}: ${sw.reason}`).join(''),
    plan: cp.plan ?? null,
    window: cp.window,
    fetchStartedAt: cp.fetchStartedAt,
    resumed,
    complete: cp.complete,
    counts,
    pending: await store.pendingCount(),
    deliveryError,
  };
}

/** Where a run continues after switching to `to`: the listing keeps the messages the stream gave so far. */
function switchedPosition(to: Strategy): Position {
  return to === 'listing' ? { stage: 'conversations', lane: 0, next: null } : { stage: 'messages', lane: 0, next: null };
}

/** Feeds a page to the watch: message-event pages on the events strategy, listing pages on the listing. */
function observe(watch: StrategyWatch, strategy: Strategy, page: SourcePage, messageFetches: number): StrategySwitch | null {
  const sample = page.sample;
  if (!sample) return null;
  if (strategy === 'events' && sample.of === 'message events') return watch.eventsPage(sample.items, sample.fraction);
  if (strategy === 'listing' && sample.of === 'conversations') return watch.listingPage(page.updates.length, 1 + messageFetches);
  return null;
}

async function fetchShareOf(store: Pick<ConversationStore, 'snapshots'>, updates: ConversationUpdate[]): Promise<number> {
  if (updates.length === 0) return 1;
  const snapshots = await store.snapshots(updates.map((u) => u.conversation.id));
  // Held: stored, still the latest, and made with the current text rules (else it is read again).
  const held = updates.filter((u) => currentStoredMessage(snapshots.get(u.conversation.id)?.lastMessage ?? null)?.id === lastMessageIdOf(u.conversation)).length;
  return 1 - held / updates.length;
}

async function lanesFor(deps: ImportDeps): Promise<Lane[]> {
  const { settings } = deps;
  if (!needsInboxes(settings.scope, settings.labelRules)) return [{ inbox: null }];
  const plan = planLanes(settings.scope.inboxes, await deps.api.inboxes());
  for (const name of plan.invisible) {
    deps.warn(`inbox "${name}" is not visible to this token (private without API access, or misspelled): skipped`);
  }
  return plan.lanes;
}

interface PrepareContext {
  runKey: string;
  statusName: StatusNames;
  /** The events strategy's window, for the text choice (see MessageChoice.events). */
  events: { since: number; followsCursor: boolean } | null;
  /** Conversations met whose messages Front would not serve (see poisoned.ts). */
  unreadable: { id: string; error: string }[];
}

/**
 * Resolves each update's messages (the page's, else ones kept from the event stream, else the
 * store's, else a request), maps it and filters it.
 */
async function prepare(page: SourcePage, deps: ImportDeps, counts: ImportCounts, tally: RunTally, ctx: PrepareContext): Promise<UpsertItem[]> {
  const { settings } = deps;
  const ids = page.updates.map((u) => u.conversation.id);
  const wantsCandidates = settings.textFrom !== 'latest' && ctx.events !== null;
  const [snapshots, kept, candidates] = await Promise.all([
    deps.store.snapshots(ids),
    deps.store.eventMessagesFor(ctx.runKey, ids),
    wantsCandidates ? deps.store.eventMessagesFor(textCandidatesKey(ctx.runKey, settings.textFrom), ids) : new Map<string, FrontMessage>(),
  ]);
  // The page's conversations are prepared together, so the few message requests overlap instead of
  // idling the rate budget one round trip at a time; the client's slots bound how many fly at once.
  const prepared = await Promise.all(page.updates.map(async (update): Promise<UpsertItem | null> => {
    const conversation: FrontConversation = update.conversation;
    tally.see(conversation.id);
    const snapshot = snapshots.get(conversation.id);
    // Event pages carry each conversation as it was at that event, so re-reading the stream (a
    // resumed or repeated backfill, sync's overlap) meets states older than the stored one. Taking
    // one would queue it, and a run stopped before the newer state comes round again would send
    // the destination an older state after a newer one.
    if (isOlderThanStored(conversation, snapshot)) {
      tally.record(conversation.id, 'unchanged');
      return null;
    }
    if (!statusMayBeInScope(mapStatus(conversation.status).value, snapshot, settings.scope)) {
      counts.skipped += 1;
      return null;
    }
    let resolved;
    let statusName;
    try {
      const embedded = { latest: update.message ?? kept.get(conversation.id) ?? null, text: candidates.get(conversation.id) ?? null };
      const choice = { textFrom: settings.textFrom, maxTextLength: settings.maxTextLength, events: ctx.events };
      [resolved, statusName] = await Promise.all([resolveMessages(conversation, embedded, snapshot, deps.api, choice), ctx.statusName(conversation)]);
    } catch (err) {
      if (isUnreadableMessages(err)) {
        // The conversation reads but its messages do not: one such conversation must not stop the run.
        deps.warn(`${conversation.id}: Front cannot serve its messages (${err.message}): skipped, recorded, and tried again on the next runs`);
        ctx.unreadable.push({ id: conversation.id, error: err.message });
        counts.skipped += 1;
        return null;
      }
      if (!(err instanceof ScopeError)) throw err;
      deps.warn(`${conversation.id}: ${err.message}: skipped`);
      counts.skipped += 1;
      return null;
    }
    counts.messageFetches += resolved.fetched;
    const mapped = mapHighlight(
      { conversation, lastMessage: resolved.message, textMessage: resolved.text, statusName },
      { maxTextLength: settings.maxTextLength, labelRules: settings.labelRules, inboxes: update.inbox ? [update.inbox] : [] },
    );
    if (!mapped.ok) {
      deps.warn(`${conversation.id}: not imported: ${mapped.reason}`);
      counts.failed += 1;
      return null;
    }
    for (const w of mapped.warnings) deps.warn(`${conversation.id}: ${w}`);
    if (!inScope(mapped.highlight, conversation, settings.scope) && !becameHidden(mapped.highlight, conversation, snapshot, settings.scope)) {
      counts.skipped += 1;
      return null;
    }
    return {
      highlight: mapped.highlight,
      lastMessageId: resolved.message?.id ?? null,
      frontUpdatedAt: typeof conversation.updated_at === 'number' ? conversation.updated_at : null,
      lastMessage: resolved.message,
    };
  }));
  return prepared.filter((item) => item !== null);
}

/** The events stage a page led to (a position without a stage is in 'messages'); none for the listing. */
function stageOf(strategy: Strategy, resume: Position | null): Stage | undefined {
  if (strategy !== 'events') return undefined;
  return resume ? (resume.stage ?? 'messages') : 'leftovers';
}

function isOlderThanStored(conversation: FrontConversation, snapshot: ConversationSnapshot | undefined): boolean {
  const incoming = conversation.updated_at;
  const stored = snapshot?.frontUpdatedAt;
  return typeof incoming === 'number' && typeof stored === 'number' && incoming < stored;
}

/**
 * Counts conversations, not page appearances: the event stream shows a conversation on every page
 * that has one of its events. A conversation new to the store counts as created even when later
 * pages of the same run change it again.
 */
class RunTally {
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
