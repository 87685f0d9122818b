// Turns a batch of queued webhook events into as few Front requests as they allow: one read per
// conversation however many events its burst had; none when the stored state is already newer
// than all of its events (a late or repeated delivery, the rest of a burst a batch already read);
// none when rule webhooks sent the conversation whole, newer than every other event of the batch.

import { lastMessageIdOf, type FrontConversation } from '../front/types.js';
import type { ConversationStore } from '../store/roles.js';
import { isOlderState, trustedTime } from '../store/upsert-rule.js';
import type { WebhookEventRow } from '../store/types.js';
import type { GivenConversation } from '../pipeline/index.js';

export interface BatchPlan {
  /** Conversations to read from Front. */
  fetch: string[];
  /** Conversations a body carried whole. Still checked against the stored state before use. */
  given: GivenConversation[];
  /** Conversations whose stored state is newer than every event of theirs in the batch. */
  covered: string[];
  /** Conversations a body carried with an updated_at Front's clock has not reached (or not in seconds): read again instead. */
  untrusted: string[];
}

/**
 * `storedUpdatedAt`: each conversation's stored `updated_at` (Front's clock), where the store has one.
 * `frontNow`: Front's clock in unix seconds; event and stored times ahead of it are not trusted to
 * order states (store/upsert-rule.ts trustedTime).
 */
export function planBatch(rows: readonly WebhookEventRow[], storedUpdatedAt: ReadonlyMap<string, number>, frontNow?: number): BatchPlan {
  const byConversation = new Map<string, WebhookEventRow[]>();
  for (const row of rows) {
    if (!row.conversationId) continue;
    const group = byConversation.get(row.conversationId) ?? [];
    group.push(row);
    byConversation.set(row.conversationId, group);
  }
  const plan: BatchPlan = { fetch: [], given: [], covered: [], untrusted: [] };
  for (const [id, events] of byConversation) {
    const stored = storedUpdatedAt.get(id);
    // Strictly older: an event in the same instant as the stored state may have come after the read.
    if (events.every((e) => isOlderState(e.emittedAt, stored, frontNow))) {
      plan.covered.push(id);
      continue;
    }
    const given = newestBody(events);
    if (given && trustedTime(given.conversation.updated_at, frontNow) === null) {
      plan.untrusted.push(id);
      plan.fetch.push(id);
    } else if (given) plan.given.push(given);
    else plan.fetch.push(id);
  }
  return plan;
}

/**
 * The newest conversation the bodies carried, when it is at least as new as every event of the
 * batch (an event after it, sent as a preview only, needs the conversation read again).
 */
function newestBody(events: readonly WebhookEventRow[]): GivenConversation | null {
  let newest: FrontConversation | null = null;
  for (const e of events) {
    const c = e.full?.conversation;
    if (c && (newest === null || (c.updated_at ?? 0) > (newest.updated_at ?? 0))) newest = c;
  }
  if (!newest) return null;
  const at = newest.updated_at ?? 0;
  if (!events.every((e) => e.full !== null || (e.emittedAt !== null && e.emittedAt <= at))) return null;
  const latest = lastMessageIdOf(newest);
  const messages = events.flatMap((e) => (e.full?.message ? [e.full.message] : []));
  const inbound = messages.filter((m) => m.is_inbound === true).sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0))[0] ?? null;
  return { conversation: newest, message: messages.find((m) => m.id === latest) ?? null, inbound };
}

/** planBatch against the store's current states. */
export async function planFromStore(rows: readonly WebhookEventRow[], store: Pick<ConversationStore, 'snapshots'>, frontNow?: number): Promise<BatchPlan> {
  const ids = [...new Set(rows.flatMap((r) => (r.conversationId ? [r.conversationId] : [])))];
  const snapshots = await store.snapshots(ids);
  const stored = new Map<string, number>();
  for (const [id, snapshot] of snapshots) if (typeof snapshot.frontUpdatedAt === 'number') stored.set(id, snapshot.frontUpdatedAt);
  return planBatch(rows, stored, frontNow);
}
