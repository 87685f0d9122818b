// One import run, shared by backfill and sync: fetch pages -> map -> persist each page together with
// its checkpoint (one transaction) -> deliver the outbox -> move the cursor only when the whole run
// succeeded. A crash at any point leaves either the previous checkpoint or this page's; the next run
// resumes from there and re-sends nothing that was accepted.

import type { FrontInbox } from '../front/types.js';
import type { Checkpoints, ConversationStore, Deliveries, ImportStaging, Locks } from '../store/roles.js';
import { stopIfAborted } from './deliver.js';
import { addOutcomes, type DeliveryTarget, type TargetOutcome } from './deliver-all.js';
import type { MessageApi } from './latest-message.js';
import { PageWriter } from './page-writer.js';
import { preparePage } from './page-prepare.js';
import type { ImportSettings } from './prepare.js';
import { deliverInRun, pendingNow } from './run-delivery.js';
import { RunTally } from './run-tally.js';
import { fetchShareOf, lanesFor, observe, stageOf, streamsFor, switchedPosition } from './run-plan.js';
import type { Lane } from './scope.js';
import { statusNames, type StatusApi } from './status-names.js';
import { allTextCandidateKeys } from './text-candidates.js';
import type { ConversationLookupApi, EventsApi, ListingApi, Position, Stage, Strategy, Window } from './source.js';
import { probeDensity } from './density-probe.js';
import { openFetch, type StrategyMode, type StrategyPlan } from './strategy-choice.js';
import { StrategyWatch } from './strategy-cost.js';
import type { PoisonedConversations } from './poisoned.js';

export interface ImportApi extends EventsApi, ListingApi, ConversationLookupApi, MessageApi, StatusApi {
  inboxes(): Promise<FrontInbox[]>;
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
export type ImportStore = ConversationStore & Deliveries & ImportStaging & Checkpoints & Locks;

export interface ImportDeps {
  /** The command running it, named to another process that finds a lock taken. */
  command: string;
  api: ImportApi;
  store: ImportStore;
  /** Where each subscription's Highlights go; none in a dry run. */
  targets: readonly DeliveryTarget[];
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
  /** Refused by a destination this run (kept as refused; exit code 7). */
  refused: number;
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
  /** What was fetched: one stream, or these inboxes. */
  lanes: Lane[];
  resumed: boolean;
  complete: boolean;
  counts: ImportCounts;
  pending: number;
  /** Per subscription: delivered, refused and pending after the run, and its failure if any. */
  deliveries: TargetOutcome[];
  /** Set when delivery failed; the items stay pending. */
  deliveryError: unknown;
}

export interface Checkpoint {
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
  const counts: ImportCounts = { seen: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, delivered: 0, refused: 0, messageFetches: 0, eventMessages: 0, pages: 0 };
  const tally = new RunTally(counts);
  let deliveries: TargetOutcome[] = [];
  const deliver = async (phase: ImportProgress['phase']): Promise<unknown> => {
    if (req.dryRun) return null;
    const report = await deliverInRun(phase, deps, counts);
    deliveries = addOutcomes(deliveries, report.targets);
    return report.error;
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
    lanes: await lanesFor(deps.api, deps.settings, deps.warn),
    position: null,
    complete: false,
    plan: null,
  };
  // Ticket status names are read once per run, when the first conversation needs one.
  const statusName = statusNames(deps.api, deps.warn);
  let strategyReason = '';

  if (!cp.complete) {
    const streams = streamsFor(req, deps, cp);
    const opening = await openFetch(
      { mode: req.strategy ?? 'auto', limit: req.limit, resume: resumed ? { strategy: cp.strategy, position: cp.position, plan: cp.plan ?? null } : null },
      { ...streams, fetchShare: (updates) => fetchShareOf(store, updates), density: () => probeDensity(deps.api, cp.lanes, cp.window, cp.window.until ?? req.startedAt) },
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
      ...(deps.settings.stageMessage ? { stageMessage: deps.settings.stageMessage } : {}),
    });
    let limitReached = false;
    const unreadable: { id: string; error: string }[] = [];
    try {
      for (let step = await pages.next(); !step.done; step = await pages.next()) {
        const page = step.value;
        if (page.updates.length > 0) await writer.flush();
        const fetchesBefore = counts.messageFetches;
        const events = cp.strategy === 'events' ? { since: cp.window.since, followsCursor: req.followsCursor === true } : null;
        const items = await preparePage(page, deps, counts, tally, { runKey: req.checkpointKey, statusName, events, unreadable });
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
          pages = streams.resume(cp.strategy, cp.position)(cp.position);
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
  else deliveries = await pendingNow(store, deliveries);
  const switches = cp.plan?.switches ?? [];
  return {
    strategy: cp.strategy,
    strategyReason: strategyReason + switches.map((sw) => `; switched from ${sw.from} to ${sw.to}: ${sw.reason}`).join(''),
    plan: cp.plan ?? null,
    window: cp.window,
    fetchStartedAt: cp.fetchStartedAt,
    lanes: cp.lanes,
    resumed,
    complete: cp.complete,
    counts,
    pending: deliveries.reduce((sum, d) => sum + d.pending, 0),
    deliveries,
    deliveryError,
  };
}
