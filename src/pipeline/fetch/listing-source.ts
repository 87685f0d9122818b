// The fallback when the token cannot read /events: list conversations newest activity first (per
// inbox when scoped) and stop at the window's start. Messages are fetched later, only when the
// store does not already hold the conversation's latest one.
//
// Two ways the listing can go wrong under a Front whose paging is not what it seems:
// - items moving between pages: with offset-style tokens, a conversation deleted from a page
//   already read moves every later one up, and the one at the next page's boundary slides under
//   the offset. So after each page, the previous page is read again, and what it shows that was
//   not seen yet is taken too (one extra request per page: about 1% of a listing backfill, whose
//   cost is the message fetches);
// - a refused page token (expired): the lane is listed again from its first page, once.

import type { FrontConversation } from '../../front/types.js';
import { restartingOnce } from './page-restart.js';
import {
  laneProgress,
  lanesFrom,
  type ConversationUpdate,
  type Lane,
  type ListingApi,
  type PageStream,
  type Position,
  type SourcePage,
  type Window,
} from './source.js';

const activityAt = (c: FrontConversation): number => c.updated_at ?? c.created_at ?? 0;

/**
 * `pageSize`: conversations per page when fewer than Front's 100 are wanted (--limit), which also
 * stops reading ahead: the page after one still inside the window is otherwise requested at once.
 * `say`: lines for the user (a lane listed again after Front refused a page token).
 */
export function listingStream(
  api: ListingApi,
  lanes: Lane[],
  window: Window,
  now: () => number,
  pageSize?: number,
  say: (line: string) => void = () => {},
): PageStream {
  const readAhead = pageSize === undefined ? (items: FrontConversation[]) => items.every((c) => activityAt(c) >= window.since) : undefined;
  const inWindow = (c: FrontConversation) => {
    const at = activityAt(c);
    return at >= window.since && (window.until === null || at <= window.until);
  };
  return async function* (resumeFrom) {
    const windowEnd = window.until ?? now() / 1000;
    let at = resumeFrom;
    const walk = async function* (from: Position | null, restarted: boolean): AsyncGenerator<SourcePage> {
      for (const { lane, inbox, pageUrl, afterLane } of lanesFrom(lanes, from)) {
        const seen = new Set<string>();
        let previousUrl: string | null = null;
        for await (const page of api.conversations({ inboxId: inbox?.id, limit: pageSize, pageUrl: restarted ? undefined : pageUrl, readAhead })) {
          const fresh = page.items.filter((c) => !seen.has(c.id));
          for (const c of page.items) seen.add(c.id);
          if (previousUrl !== null) {
            for (const c of await boundaryCheck(api, previousUrl, seen)) fresh.push(c);
          }
          previousUrl = page.url ?? null;
          const oldest = Math.min(...page.items.map(activityAt));
          const updates: ConversationUpdate[] = fresh.filter(inWindow).map((conversation) => ({ conversation, message: null, inbox }));
          const done = oldest < window.since || !page.next;
          const reached = Number.isFinite(oldest) ? (windowEnd - oldest) / Math.max(1, windowEnd - window.since) : 1;
          at = done ? afterLane : { lane, next: page.next };
          const progress = laneProgress(lane, lanes.length, done ? 1 : reached);
          yield { updates, messages: [], resume: at, progress, sample: { of: 'conversations', items: updates.length, fraction: progress } };
          if (done) break;
        }
      }
    };
    yield* restartingOnce(
      (restarted) => walk(at, restarted),
      (err) => say(`${err.message}: listing conversations again from the newest (lane ${(at?.lane ?? 0) + 1} of ${lanes.length})`),
    );
  };
}

/**
 * The listing from its start, beginning with a page already read when `listed` holds one: the first
 * lane's whole listing, read to choose the strategy at the run's start. Its states are as of then,
 * after the fetch's start, which is all the cursor asks (a later change is the next run's).
 */
export function startingWithListed(stream: PageStream, listed: () => SourcePage | null): PageStream {
  return async function* (resumeFrom) {
    const fromStart = resumeFrom === null || (resumeFrom.lane === 0 && resumeFrom.next === null);
    const page = fromStart ? listed() : null;
    if (!page) {
      yield* stream(resumeFrom);
      return;
    }
    yield page;
    if (page.resume) yield* stream(page.resume);
  };
}

/** The previous page read again: conversations it shows now that no page showed (they moved up). */
async function boundaryCheck(api: ListingApi, url: string, seen: Set<string>): Promise<FrontConversation[]> {
  for await (const again of api.conversations({ pageUrl: url })) {
    const moved = again.items.filter((c) => !seen.has(c.id));
    for (const c of moved) seen.add(c.id);
    return moved;
  }
  return [];
}
