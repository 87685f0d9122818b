// The thread signal's input (issue 24: a block of a message that repeats an earlier message of its
// conversation, where a reply's quote sits, is history; see highlight/thread-history.ts), taken only
// from what a run already holds, never fetched for: the stored state's messages (the latest one and
// the text's message), the event stream's messages for the conversation, and a listing page when one
// was read anyway. Every import path (backfill, sync, listen) prepares through resolveMessages and so
// passes them; replay re-sends stored Highlights and extracts nothing.

import type { FrontMessage } from '../../front/types.js';
import { messageToText } from '../../highlight/message-text.js';
import type { EarlierText } from '../../highlight/thread-history.js';
import { getOrAdd } from '../../shared/get-or-add.js';
import type { ConversationSnapshot, StoredMessage } from '../../store/types.js';

/** Messages of a page read per text, nearest first: a reply quotes the last few messages. */
const EARLIER_FROM_PAGE = 3;

export interface HeldMessages {
  /** Own words are what the signal compares with: a quote repeats what a message said, not what it quoted. */
  textOf(message: FrontMessage): string;
  stored: StoredMessage[];
  embedded: FrontMessage[];
}

/** What the stored state and the event stream hold for one conversation. */
export function heldMessages(snapshot: ConversationSnapshot | undefined, embedded: readonly (FrontMessage | null)[]): HeldMessages {
  const last = snapshot?.lastMessage ?? null;
  const stored = [last, last?.textSource?.message ?? null].filter((m): m is StoredMessage => m !== null && typeof m.text === 'string');
  // Each Front message is converted once, however many of its later messages are prepared.
  const texts = new Map<string, string>();
  const textOf = (m: FrontMessage) => getOrAdd(texts, m.id, () => messageToText(m));
  return { textOf, stored, embedded: embedded.filter((m): m is FrontMessage => m !== null) };
}

/**
 * The own words of the messages held that are older than `message`: the stored ones, then the
 * nearest few of the event stream's and of `page` (a listing read for the text), each marked when
 * written from the same side as `message` (customer or teammate), which a reply rarely quotes
 * without a marker but a writer may send again.
 */
export function earlierTexts(message: FrontMessage, held: HeldMessages, page: readonly FrontMessage[] = []): EarlierText[] {
  const inbound = message.is_inbound === true;
  const at = typeof message.created_at === 'number' ? message.created_at : Number.POSITIVE_INFINITY;
  const seen = new Set<string>([message.id]);
  const fromStore: EarlierText[] = [];
  for (const m of held.stored) {
    // A stored message was the latest (or the text's) when stored: another one of the same second is newer.
    if (seen.has(m.id) || (m.createdAt ?? Number.NEGATIVE_INFINITY) > at) continue;
    seen.add(m.id);
    fromStore.push({ text: m.text, sameSide: m.inbound === inbound });
  }
  const older = [...page, ...held.embedded]
    .filter((m) => !seen.has(m.id) && typeof m.created_at === 'number' && m.created_at < at)
    .sort((a, b) => (b.created_at as number) - (a.created_at as number));
  const fromFront: EarlierText[] = [];
  for (const m of older) {
    if (fromFront.length >= EARLIER_FROM_PAGE) break;
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    fromFront.push({ text: held.textOf(m), sameSide: (m.is_inbound === true) === inbound });
  }
  return [...fromStore, ...fromFront];
}
