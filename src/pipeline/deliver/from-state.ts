// A subscription fed from the stored conversations instead of from Front: a new subscription whose
// scope the state already covers, and `replay`. Each conversation gets the subscription's own
// Highlight (scope and labels) by the same function a live run uses.

import type { LineDestination } from '../../destinations/types.js';
import type { ConversationStore, Deliveries, Locks, Outbox, StoreRuntime } from '../../store/roles.js';
import type { DeliveryTarget } from './deliver-all.js';
import { stopIfAborted } from './deliver.js';
import { underDeliveryLock } from './store-locks.js';
import type { SubscriptionRules } from '../prepare/subscription-highlight.js';
import { awaitedLater } from '../../shared/awaited-later.js';
import { itemAt } from '../../shared/item-at.js';
import type { Sleep } from '../../shared/sleep.js';
import { convertHere, stateHighlights, type PageConverter, type PageLines, type StateHighlight } from './page-lines.js';

const PAGE = 500;

export interface FromStateOptions {
  /** Unix seconds: only conversations Front last updated since then; null = all stored. */
  since: number | null;
  /** Queue again what the destination already has at that version (replay). */
  resend: boolean;
  signal?: AbortSignal;
}

type StoredReader = Pick<ConversationStore, 'storedConversations'>;

/** Queues the subscription's Highlight of every stored conversation in its scope; returns how many became pending. */
export async function queueFromState(store: StoredReader, outbox: Outbox, rules: SubscriptionRules, opts: FromStateOptions): Promise<number> {
  let queued = 0;
  for await (const page of statePages(store, PAGE, rules, opts)) queued += await outbox.enqueue(page.map((s) => s.highlight), { resend: opts.resend });
  return queued;
}

export interface SendFromStateOptions extends Omit<FromStateOptions, 'resend'> {
  /** The command named to another process that finds the delivery lock taken. */
  command: string;
  warn?: (line: string) => void;
  /** How it pauses for a process waiting for the delivery lock (underDeliveryLock); tests pass their own. */
  sleep?: Sleep;
  /** Turns the pages into lines (page-lines.ts); by default on this thread, by `rules`. `replay` passes workers (convert-workers.ts). */
  converter?: PageConverter;
}

/**
 * Pages one hold of the delivery lock covers. Each hold costs the lock's round trips (five on
 * PostgreSQL); between holds a sync or `listen` on the same state can deliver a batch of its own.
 * At replay's pace (20,000 Highlights a second, 500 a page) eight pages hold it about 0.2 s.
 */
const PAGES_PER_HOLD = 8;

/**
 * `replay` to a destination whose readers dedupe by item (a file: a LineDestination, keyedBatches false):
 * the subscription's Highlight of every stored conversation in its scope is sent as it is read, a
 * batch at a time under the delivery lock, then recorded delivered (Outbox.sentDirectly). Nothing
 * is written to the state before the send, which is what makes it fast: a replay of a million
 * conversations does not stage a million Highlights. A stop (a full disk, Ctrl+C) leaves what was
 * not reached as it was, owed nothing new; the replay runs again whole. Returns what was sent and
 * the failure, if any (an abort is thrown).
 */
export async function sendFromState(
  store: Pick<ConversationStore, 'storedRows'> & Locks & StoreRuntime,
  outbox: Outbox,
  destination: LineDestination,
  rules: SubscriptionRules,
  opts: SendFromStateOptions,
): Promise<{ sent: number; error: unknown }> {
  const converter = opts.converter ?? convertHere(rules);
  let after: string | null = null;
  let exhausted = false;
  let sent = 0;
  // One hold of the lock: up to PAGES_PER_HOLD pages read; false once the pages ran out. Pages are
  // read ahead while earlier ones are converted, as many as the converter works on at once (workers;
  // on this thread each page is converted as it is read). Beside a server (PostgreSQL), one page is
  // written (the file's write and fsync) and then recorded delivered while the next is read: the
  // server and the disk work beside us (100,000 in 9.3 s instead of 10.7). A store on this thread
  // (SQLite) leaves nothing to overlap but the file's write, whose thread then competes with ours (4%
  // slower): there each page is done before the next is read. Either way a page is sent only once
  // the one before is recorded, and the hold ends with the last recorded and nothing read unsent.
  const hold = async (): Promise<boolean> => {
    const converting: Promise<PageLines>[] = [];
    let delivering: Promise<void> = Promise.resolve();
    try {
      for (let read = 0; ; ) {
        while (!exhausted && read < PAGES_PER_HOLD && converting.length < converter.ahead) {
          stopIfAborted(opts.signal);
          const rows = await store.storedRows(after, destination.maxBatchSize, opts.since, outbox.destination);
          if (rows.length === 0) exhausted = true;
          else {
            after = itemAt(rows, rows.length - 1).conversation_id;
            read++;
            converting.push(awaitedLater(converter.convert(rows)));
          }
        }
        const next = converting.shift();
        if (!next) return !exhausted;
        const page = await next;
        await delivering;
        if (page.items.length === 0) continue;
        delivering = awaitedLater(
          deliverPage(destination, outbox, page).then((count) => {
            sent += count;
          }),
        );
        if (store.inProcess) await delivering;
      }
    } finally {
      await delivering;
    }
  };
  try {
    // Every page is read under the delivery lock as well: no other process delivers between the read
    // and the send, so a newer version of one of its conversations reaches the file after it.
    for (let more = true; more; ) more = await underDeliveryLock(store, opts, hold);
    return { sent, error: null };
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    return { sent, error: err };
  }
}

/** One page written, then recorded delivered at the versions sent; says how many. */
async function deliverPage(destination: LineDestination, outbox: Outbox, page: PageLines): Promise<number> {
  await destination.sendLines(page.lines);
  await outbox.sentDirectly(page.items);
  return page.items.length;
}

/**
 * `replay` for one subscription: a file is written straight from the state (sendFromState, its
 * readers dedupe by item); a receiver that dedupes by batch key gets its Highlights queued, so each
 * batch is fixed before it goes, for the delivery that follows. Says how many were queued or sent,
 * how many of them went already, and the failure that stopped the sending.
 */
export async function replayFromState(
  store: StoredReader & Pick<ConversationStore, 'storedRows'> & Locks & StoreRuntime & Pick<Deliveries, 'outbox'>,
  target: DeliveryTarget,
  rules: SubscriptionRules,
  opts: SendFromStateOptions,
): Promise<{ queued: number; sent: number; error: unknown }> {
  const outbox = store.outbox(target.key);
  if (target.destination.keyedBatches) return { queued: await queueFromState(store, outbox, rules, { since: opts.since, resend: true, signal: opts.signal }), sent: 0, error: null };
  const { sent, error } = await sendFromState(store, outbox, target.destination, rules, opts);
  return { queued: sent, sent, error };
}

/** The stored conversations, a page at a time, as the subscription's Highlights (those in its scope; a page with none is skipped). */
async function* statePages(store: StoredReader, pageSize: number, rules: SubscriptionRules, opts: Omit<FromStateOptions, 'resend'>): AsyncGenerator<StateHighlight[]> {
  for (let after: string | null = null; ; ) {
    stopIfAborted(opts.signal);
    const page = await store.storedConversations(after, pageSize, opts.since);
    if (page.length === 0) return;
    const highlights = stateHighlights(page, rules);
    if (highlights.length > 0) yield highlights;
    after = itemAt(page, page.length - 1).highlight.conversationId;
  }
}
