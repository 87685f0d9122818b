// Paging over the workspace's sorted indexes. Each page starts with a binary search (time bound or
// keyset position) and walks forward only as far as it needs, so pages cost the same at 50,000
// conversations as at 200.

import type { ActivityPosition, EventPosition } from './page-token.js';
import { type LiveWorkspace, activityKey, compareActivity, firstIndex } from './live-workspace.js';
import type { Conversation, FrontEventRecord } from './model.js';
import { itemAt } from '../shared/item-at.js';

export type SortOrder = 'asc' | 'desc';

export interface Page<T, P> {
  items: T[];
  /** Position of the last item when more matches follow; null on the last page. */
  next: P | null;
}

export interface ConversationQuery {
  order: SortOrder;
  limit: number;
  after: ActivityPosition | null;
  match: (c: Conversation) => boolean;
  /** Activity strictly after / before these times (ms). */
  activeAfterMs?: number;
  activeBeforeMs?: number;
}

/** `byActivity` is newest first: desc walks it forwards, asc backwards. */
export function pageConversations(ws: LiveWorkspace, q: ConversationQuery): Page<Conversation, ActivityPosition> {
  const list = ws.byActivity;
  const vs = (k: ActivityPosition) => (c: Conversation) => compareActivity(activityKey(c), k);
  const { activeAfterMs: after, activeBeforeMs: before, after: position } = q;
  let i: number;
  if (q.order === 'desc') {
    i = before === undefined ? 0 : firstIndex(list, (c) => c.state.updatedMs < before);
    if (position) i = Math.max(i, firstIndex(list, (c) => vs(position)(c) > 0));
  } else {
    i = (after === undefined ? list.length : firstIndex(list, (c) => c.state.updatedMs <= after)) - 1;
    if (position) i = Math.min(i, firstIndex(list, (c) => vs(position)(c) >= 0) - 1);
  }
  const stop = (c: Conversation) =>
    q.order === 'desc'
      ? after !== undefined && c.state.updatedMs <= after
      : before !== undefined && c.state.updatedMs >= before;
  return walk(list, i, q.order === 'desc' ? 1 : -1, q.limit, q.match, stop, activityKey);
}

/** Offset-style paging (a quirk): skips `offset` matches, so deletions before it shift the page. */
export function pageConversationsAtOffset(
  ws: LiveWorkspace,
  q: { order: SortOrder; limit: number; offset: number; match: (c: Conversation) => boolean },
): { items: Conversation[]; more: boolean } {
  const list = q.order === 'desc' ? ws.byActivity : ws.byActivity.slice().reverse();
  const items: Conversation[] = [];
  let skipped = 0;
  for (const c of list) {
    if (!q.match(c)) continue;
    if (skipped < q.offset) {
      skipped++;
      continue;
    }
    if (items.length === q.limit) return { items, more: true };
    items.push(c);
  }
  return { items, more: false };
}

export function countConversations(ws: LiveWorkspace, q: Omit<ConversationQuery, 'order' | 'limit' | 'after'>): number {
  let n = 0;
  for (const c of ws.byActivity) {
    if (q.activeAfterMs !== undefined && c.state.updatedMs <= q.activeAfterMs) break;
    if (q.activeBeforeMs !== undefined && c.state.updatedMs >= q.activeBeforeMs) continue;
    if (q.match(c)) n++;
  }
  return n;
}

export interface EventQuery {
  order: SortOrder;
  limit: number;
  after: EventPosition | null;
  /** Exclusive bounds, unix seconds (fractional), compared exactly as the client wrote them. */
  afterSeconds?: number;
  beforeSeconds?: number;
  match: (e: FrontEventRecord) => boolean;
}

const compareEvent = (e: FrontEventRecord, k: EventPosition) =>
  e.emittedMs - k.emittedMs || (e.id < k.id ? -1 : e.id > k.id ? 1 : 0);

/** The log is oldest first: asc walks it forwards, desc backwards. */
export function pageEvents(ws: LiveWorkspace, q: EventQuery): Page<FrontEventRecord, EventPosition> {
  const list = ws.events;
  const { afterSeconds: after, beforeSeconds: before, after: position } = q;
  let i: number;
  if (q.order === 'asc') {
    i = after === undefined ? 0 : firstIndex(list, (e) => e.emittedMs / 1000 > after);
    if (position) i = Math.max(i, firstIndex(list, (e) => compareEvent(e, position) > 0));
  } else {
    i = (before === undefined ? list.length : firstIndex(list, (e) => e.emittedMs / 1000 >= before)) - 1;
    if (position) i = Math.min(i, firstIndex(list, (e) => compareEvent(e, position) >= 0) - 1);
  }
  const stop = (e: FrontEventRecord) =>
    q.order === 'asc'
      ? before !== undefined && e.emittedMs / 1000 >= before
      : after !== undefined && e.emittedMs / 1000 <= after;
  return walk(list, i, q.order === 'asc' ? 1 : -1, q.limit, q.match, stop, (e) => ({ emittedMs: e.emittedMs, id: e.id }));
}

/** A small list already sorted by id (a conversation's messages, the tags): keyset on the id. */
export function pageById<T extends { id: string }>(
  list: readonly T[],
  q: { order: SortOrder; limit: number; afterId: string | null },
): Page<T, string> {
  const step = q.order === 'asc' ? 1 : -1;
  let i: number;
  const { afterId } = q;
  if (q.order === 'asc') i = afterId === null ? 0 : firstIndex(list, (item) => item.id > afterId);
  else i = (afterId === null ? list.length : firstIndex(list, (item) => item.id >= afterId)) - 1;
  return walk(list, i, step, q.limit, () => true, () => false, (item) => item.id);
}

/**
 * Collects up to `limit` matches from `start` in direction `step`, then looks for one more match
 * so the last page says so (next = null) instead of leaving the client an empty extra page.
 */
function walk<T, P>(
  list: readonly T[],
  start: number,
  step: 1 | -1,
  limit: number,
  match: (item: T) => boolean,
  stop: (item: T) => boolean,
  position: (item: T) => P,
): Page<T, P> {
  const items: T[] = [];
  for (let i = start; i >= 0 && i < list.length; i += step) {
    const item = itemAt(list, i);
    if (stop(item)) break;
    if (!match(item)) continue;
    if (items.length === limit) return { items, next: position(itemAt(items, items.length - 1)) };
    items.push(item);
  }
  return { items, next: null };
}
