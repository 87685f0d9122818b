// The import run's types: what it is asked (request), what it uses (deps), what it counts and what
// it returns. Kept apart from the run itself so its parts (plan, page preparation, delivery, tally)
// depend on these and the run on them, never the other way round.

import type { FrontInbox } from '../../front/types.js';
import type { Checkpoints, ConversationStore, Deliveries, ImportStaging, Locks } from '../../store/roles.js';
import type { DeliveryTarget, TargetOutcome } from '../deliver/deliver-all.js';
import type { MessageApi } from '../prepare/latest-message.js';
import type { ImportSettings } from '../prepare/prepare.js';
import type { StatusApi } from '../prepare/status-names.js';
import type { Lane } from '../fetch/scope.js';
import type { ConversationLookupApi, EventsApi, ListingApi, Position, Stage, Strategy, Window } from '../fetch/source.js';
import type { StrategyMode, StrategyPlan } from '../fetch/strategy-choice.js';
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
  /** Where each subscription's Highlights go; none in a dry run (whose store is an empty in-memory one). */
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
  /** Why they were skipped (they add up to `skipped`): in no subscription's scope (spam, trash, or outside every scope), a scope the token lacks, messages Front would not serve. */
  skippedOutOfScope: number;
  skippedNoAccess: number;
  skippedUnreadable: number;
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
