// A subscription fed from the stored conversations instead of from Front: a new subscription whose
// scope the state already covers, and `replay`. Each conversation gets the subscription's own
// Highlight (scope and labels) by the same function a live run uses.

import type { ConversationStore, Outbox } from '../../store/roles.js';
import type { ConversationFacts, StoredConversation } from '../../store/types.js';
import { redactedBase } from '../../redact/apply.js';
import { stopIfAborted } from './deliver.js';
import { subscriptionHighlight, type SubscriptionRules } from '../prepare/subscription-highlight.js';
import { itemAt } from '../../shared/item-at.js';

const PAGE = 500;

export interface FromStateOptions {
  /** Unix seconds: only conversations Front last updated since then; null = all stored. */
  since: number | null;
  /** Queue again what the destination already has at that version (replay). */
  resend: boolean;
  signal?: AbortSignal;
}

/** Queues the subscription's Highlight of every stored conversation in its scope; returns how many became pending. */
export async function queueFromState(store: Pick<ConversationStore, 'storedConversations'>, outbox: Outbox, rules: SubscriptionRules, opts: FromStateOptions): Promise<number> {
  let queued = 0;
  for (let after: string | null = null; ; ) {
    stopIfAborted(opts.signal);
    const page = await store.storedConversations(after, PAGE, opts.since);
    if (page.length === 0) return queued;
    const highlights = page.flatMap((c) => {
      // A conversation stored before redaction was turned on is redacted on its way out.
      const base = rules.redactor ? redactedBase(c.highlight, rules.redactor) : c.highlight;
      const h = subscriptionHighlight(base, storedFacts(c), rules);
      return h ? [h] : [];
    });
    if (highlights.length > 0) queued += await outbox.enqueue(highlights, { resend: opts.resend });
    after = itemAt(page, page.length - 1).highlight.conversationId;
  }
}

/** A stored conversation's facts; one stored before facts were kept: what its Highlight says (inbox unknown). */
export function storedFacts(c: StoredConversation): ConversationFacts {
  return c.facts ?? { frontStatus: null, tags: c.highlight.tags.map((name) => ({ id: '', name })), inboxes: null };
}
