// An import run's page through the prepare step: each update with the messages its page carried or
// the run staged from the event stream, the outcomes counted per conversation.

import type { StagedMessage, UpsertItem } from '../../store/types.js';
import type { ImportDeps } from './types.js';
import type { MessageChoice } from '../prepare/latest-message.js';
import { prepareConversations } from '../prepare/prepare.js';
import type { RunTally } from './run-tally.js';
import type { SourcePage } from '../fetch/source.js';
import type { StatusNames } from '../prepare/status-names.js';
import { textCandidatesKey } from '../fetch/text-candidates.js';
import { itemAt } from '../../shared/item-at.js';

export interface PageContext {
  runKey: string;
  statusName: StatusNames;
  /** The events strategy's window, for the text choice (see MessageChoice.events). */
  events: MessageChoice['events'];
  /** Conversations met whose messages Front would not serve (see poisoned.ts). */
  unreadable: { id: string; error: string }[];
}

/** Prepares a page's updates, each with the messages its page or the run's staged ones hold. */
export async function preparePage(page: SourcePage, deps: ImportDeps, tally: RunTally, ctx: PageContext): Promise<UpsertItem[]> {
  const { settings } = deps;
  const ids = page.updates.map((u) => u.conversation.id);
  const wantsCandidates = settings.textFrom !== 'latest' && ctx.events !== null;
  const [kept, texts] = await Promise.all([
    deps.store.eventMessagesFor(ctx.runKey, ids),
    wantsCandidates ? deps.store.eventMessagesFor(textCandidatesKey(ctx.runKey, settings.textFrom), ids) : new Map<string, StagedMessage>(),
  ]);
  const candidates = page.updates.map((u) => {
    const staged = kept.get(u.conversation.id);
    // The lane that listed it and every lane whose events showed it: a conversation moved out of a
    // scoped inbox after activity there still belongs to that inbox's subscriptions.
    const inboxes = [...(u.inbox ? [u.inbox] : []), ...(staged?.inboxes ?? [])].filter((i, n, all) => all.findIndex((j) => j.id === i.id) === n);
    return {
      conversation: u.conversation,
      embedded: { latest: u.message ?? staged?.message ?? null, text: texts.get(u.conversation.id)?.message ?? null },
      inboxes,
    };
  });
  const prepared = await prepareConversations(candidates, { ...deps, statusName: ctx.statusName, events: ctx.events, onFetch: (n) => tally.messageFetches(n) });
  const items: UpsertItem[] = [];
  prepared.forEach((p, i) => {
    const id = itemAt(ids, i);
    tally.see(id);
    if (p.kind === 'item') {
      items.push(p.item);
      tally.scope(id, p.item.deliveries.length > 0);
    } else if (p.kind === 'older') tally.stored(id, 'unchanged');
    else if (p.kind === 'unreadable') {
      // One such conversation must not stop the run: recorded, and tried again by the next runs.
      deps.warn(`${id}: Front cannot serve its messages (${p.error.message}): skipped, recorded, and tried again on the next runs`);
      ctx.unreadable.push({ id, error: p.error.message });
      tally.leftOut(id, 'skipped', 'unreadable');
    } else if (p.kind === 'skipped') tally.leftOut(id, 'skipped', p.reason === 'outOfScope' ? 'outOfScope' : 'noAccess');
    else tally.leftOut(id, p.kind);
  });
  return items;
}
