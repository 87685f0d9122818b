// What a fetch strategy hands the import run: pages of conversation updates, each with the position
// to resume from once that page is persisted (the checkpoint).

import type { FrontConversation, FrontEvent, FrontMessage } from '../../front/types.js';
import type { EventMessage } from '../../store/types.js';
import type { Lane } from './scope.js';
import { itemAt } from '../../shared/item-at.js';

export type Strategy = 'events' | 'listing';

/**
 * The events strategy's stages, in order: message events (bodies, kept in the store), the
 * conversation listing (current states, each mapped with its kept message), then the kept messages
 * whose conversation the listing did not show. A checkpoint without a stage is in 'messages'.
 */
export type Stage = 'messages' | 'conversations' | 'leftovers';

export interface Position {
  stage?: Stage;
  lane: number;
  /**
   * Saved `_pagination.next` of the lane, or null to start the lane from its first page; in the
   * 'leftovers' stage, the last conversation id done.
   */
  next: string | null;
  /**
   * Events stage: unix seconds (Front's clock) up to which the lane's events are persisted, where
   * the lane starts again if Front refuses the saved page token.
   */
  safeAfter?: number;
}

export interface ConversationUpdate {
  conversation: FrontConversation;
  /** Newest message this page carried for the conversation (events only). */
  message: FrontMessage | null;
  inbox: { id: string; name: string } | null;
}

export interface SourcePage {
  /** Conversations to map and import now. */
  updates: ConversationUpdate[];
  /** Messages to keep until the listing gives their conversation's current state (events strategy). */
  messages: EventMessage[];
  /** Text candidates for highlights.textFrom other than `latest` (events strategy; see text-candidates.ts). */
  textMessages?: EventMessage[];
  /** Where to resume after this page; null when the source is exhausted. */
  resume: Position | null;
  /** Fraction of the window covered so far, 0..1, for progress and ETA. */
  progress: number;
  /** What the page says about the window's density, for the strategy's cost (see strategy-cost.ts). */
  sample?: PageSample;
}

export interface PageSample {
  of: 'message events' | 'conversations';
  /** Message events on the page, or its conversations inside the window. */
  items: number;
  /** How far this walk (all lanes) has reached after the page, 0..1. */
  fraction: number;
}

export type PageStream = (resumeFrom: Position | null) => AsyncGenerator<SourcePage>;

export interface Window {
  /** Unix seconds. */
  since: number;
  /** Unix seconds; null = open-ended (now). */
  until: number | null;
}

export interface PagedList<T> {
  items: T[];
  next: string | null;
  /** The page's own URL, to read it again. */
  url?: string;
}

export interface EventsApi {
  events(q: {
    after?: number;
    before?: number;
    types?: readonly string[];
    inboxes?: string[];
    pageUrl?: string;
    /** Asked as each page arrives: false holds back the request for the next one (default: ahead). */
    readAhead?: () => boolean;
  }): AsyncIterable<PagedList<FrontEvent>>;
}

export interface ConversationLookupApi {
  conversation(id: string): Promise<FrontConversation>;
}

export interface ListingApi {
  conversations(q: {
    inboxId?: string;
    limit?: number;
    pageUrl?: string;
    /** True when the page after these conversations will be wanted: it is requested ahead. */
    readAhead?: (items: FrontConversation[]) => boolean;
  }): AsyncIterable<PagedList<FrontConversation>>;
}

export interface LaneStart {
  lane: number;
  inbox: { id: string; name: string } | null;
  /** The saved page to resume this lane from, if the checkpoint points into it. */
  pageUrl: string | undefined;
  /** Where to resume once this lane is exhausted (null after the last lane). */
  afterLane: Position | null;
}

/** The lanes still to walk, starting at the checkpoint's lane and page. */
export function* lanesFrom(lanes: Lane[], resumeFrom: Position | null): Generator<LaneStart> {
  for (let lane = resumeFrom?.lane ?? 0; lane < lanes.length; lane++) {
    yield {
      lane,
      inbox: itemAt(lanes, lane).inbox,
      pageUrl: resumeFrom && resumeFrom.lane === lane && resumeFrom.next ? resumeFrom.next : undefined,
      afterLane: lane === lanes.length - 1 ? null : { lane: lane + 1, next: null },
    };
  }
}

/** Fraction of the window a timestamp has reached; lanes share the bar equally. */
export function laneProgress(lane: number, lanes: number, fraction: number): number {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return (lane + f) / Math.max(1, lanes);
}

export type { Lane };
