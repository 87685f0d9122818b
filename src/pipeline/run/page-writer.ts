// Writes fetched pages to the store, each with the checkpoint that follows it, in one transaction.
// Pages that only keep messages (the event stream: most pages of an events backfill) are grouped,
// up to a few pages or a fraction of a second per commit, because a commit per page cost more than
// the page's own rows. A crash loses at most that group, which the next run fetches again from the
// last checkpoint; an interrupted run flushes first. A page that imports conversations is written at
// once, after the group, since it reads the messages the group keeps.

import type { ImportStaging } from '../../store/roles.js';
import type { EventMessage, UpsertItem, UpsertOutcome } from '../../store/types.js';
import type { TextFrom } from '../../highlight/types.js';
import type { SourcePage } from '../fetch/source.js';
import { textCandidatesKey } from '../fetch/text-candidates.js';
import { itemAt } from '../../shared/item-at.js';

export interface PageWriterOptions {
  store: Pick<ImportStaging, 'persistPages'>;
  /** The run's checkpoint key, which also keys its kept messages. */
  runKey: string;
  /** Keys where the pages' text candidates are staged. */
  textFrom: TextFrom;
  clock: () => number;
  onUpsert(conversationId: string, outcome: UpsertOutcome): void;
  /** Most message-only pages per commit. */
  groupPages?: number;
  /** Longest a message-only page waits for its commit, in ms. */
  groupMs?: number;
  /** Applied to every staged message before it is written (highlights.redact: nothing in the clear at rest). */
  stageMessage?: (message: EventMessage['message']) => EventMessage['message'];
}

const GROUP_PAGES = 20;
const GROUP_MS = 500;

export class PageWriter {
  private pages: SourcePage[] = [];
  private items: UpsertItem[] = [];
  private checkpoint: unknown = null;
  private firstPendingAt = 0;

  constructor(private readonly opts: PageWriterOptions) {}

  /** Takes a page with its mapped items and the checkpoint to save with it. */
  async add(page: SourcePage, items: UpsertItem[], checkpoint: unknown): Promise<void> {
    if (this.pages.length === 0) this.firstPendingAt = this.opts.clock();
    this.pages.push(page);
    this.items.push(...items);
    this.checkpoint = checkpoint;
    const full = this.pages.length >= (this.opts.groupPages ?? GROUP_PAGES);
    const old = this.opts.clock() - this.firstPendingAt >= (this.opts.groupMs ?? GROUP_MS);
    if (page.updates.length > 0 || full || old) await this.flush();
  }

  /** Writes whatever is pending; before reading the store, and when the run stops for any reason. */
  async flush(): Promise<void> {
    if (this.pages.length === 0) return;
    const { pages, items, checkpoint } = this;
    // Taken off before the await, so a page added meanwhile is not written twice.
    this.pages = [];
    this.items = [];
    // Text candidates first: a crash between the two writes leaves them staged for pages whose
    // checkpoint was not saved, which are then read again, never the other way round.
    const staged = (m: EventMessage): EventMessage => (this.opts.stageMessage ? { ...m, message: this.opts.stageMessage(m.message) } : m);
    const textMessages = pages.flatMap((page) => page.textMessages ?? []).map(staged);
    if (textMessages.length > 0) {
      await this.opts.store.persistPages({ runKey: textCandidatesKey(this.opts.runKey, this.opts.textFrom), messages: textMessages, items: [], imported: [] });
    }
    const outcomes = await this.opts.store.persistPages({
      runKey: this.opts.runKey,
      messages: pages.flatMap((page) => page.messages).map(staged),
      items,
      imported: pages.flatMap((page) => page.updates.map((u) => u.conversation.id)),
      checkpoint,
    });
    // One outcome per item, in the items' order.
    for (const [i, item] of items.entries()) this.opts.onUpsert(item.highlight.conversationId, itemAt(outcomes, i));
  }
}
