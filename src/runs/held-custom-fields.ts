// A token that may not read Front's custom field list (403) does not stop a run: scope.customFields
// and customField rules are judged on the fields each conversation carries, and a conversation that
// lacks a named field is held back from that subscription (pipeline heldBack): neither sent with a
// label it may not deserve nor dropped for good. What was held is kept in meta (per subscription,
// from the earliest Front update held), `status` shows it, and the first run that can read the list
// again refills those subscriptions' outboxes from the stored conversations (no Front request).

import { queueFromState, type HeldBack, type SubscriptionTarget } from '../pipeline/index.js';
import { HELD_BACK_META, type HeldMeta } from '../store/keys.js';
import type { Store } from '../store/roles.js';

/** The subscriptions whose custom field names went unchecked this run, for a warning. */
export function unreadableWarning(targets: readonly SubscriptionTarget[]): string | null {
  const names = targets.filter((t) => t.customFieldsUnreadable).map((t) => t.name);
  if (names.length === 0) return null;
  const which = names.map((n) => `"${n}"`).join(', ');
  const held = 'a conversation that does not carry one of them is held back from that subscription until a run can read the list (give the token access to custom fields)';
  return `this token may not read Front's custom field list (403): the custom fields that subscription(s) ${which} scope or route by are unchecked; ${held}`;
}

/** Adds this run's held conversations to what the state keeps. */
export async function recordHeldBack(store: Store, held: readonly HeldBack[], now: string): Promise<void> {
  if (held.length === 0) return;
  const meta = (await store.getMeta<HeldMeta>(HELD_BACK_META)) ?? {};
  for (const h of held) {
    const before = meta[h.subscription];
    const since = before === undefined ? h.since : before.since === null || h.since === null ? null : Math.min(before.since, h.since);
    meta[h.subscription] = { key: h.key, conversations: (before?.conversations ?? 0) + h.conversations, since, firstAt: before?.firstAt ?? now };
  }
  await store.setMeta(HELD_BACK_META, meta);
}

/**
 * For each subscription that held conversations back and whose custom fields this run could check,
 * queues what it now takes from the stored conversations (those it has already are left alone) and
 * forgets the record. Returns one line per subscription released.
 */
export async function releaseHeldBack(store: Store, targets: readonly SubscriptionTarget[], signal?: AbortSignal): Promise<string[]> {
  const meta = await store.getMeta<HeldMeta>(HELD_BACK_META);
  if (!meta || Object.keys(meta).length === 0) return [];
  const lines: string[] = [];
  const released = new Set<string>();
  for (const [name, record] of Object.entries(meta)) {
    const target = targets.find((t) => t.name === name && t.key === record.key);
    if (!target || target.customFieldsUnreadable) continue;
    const queued = await queueFromState(store, store.outbox(target.key), target, { since: record.since, resend: false, ...(signal ? { signal } : {}) });
    released.add(name);
    lines.push(`custom fields readable again: ${queued} Highlight(s) held back from "${name}" since ${record.firstAt} queued`);
  }
  if (released.size > 0) await store.setMeta(HELD_BACK_META, Object.fromEntries(Object.entries(meta).filter(([name]) => !released.has(name))));
  return lines;
}
