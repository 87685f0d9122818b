// Imports named conversations (from webhook events): their previews carry no message bodies, so
// each conversation is read through the shared, paced client, then prepared by the same step as
// backfill and sync (fetched by id, with no event stream, the text choice costs at most one
// request, none when the store already holds the latest message; see prepare/latest-message.ts), stored
// and delivered. A conversation a rule webhook sent whole costs no request, and goes through the
// same step, so a body older than the stored state is left out.

import { FrontRequestError, ScopeError } from '../../errors.js';
import type { FrontConversation, FrontMessage } from '../../front/types.js';
import type { ConversationStore, Deliveries, Locks } from '../../store/roles.js';
import type { UpsertOutcome } from '../../store/types.js';
import { deliverAll, type DeliveryTarget } from '../deliver/deliver-all.js';
import type { MessageApi } from '../prepare/latest-message.js';
import { prepareConversations, type Candidate, type ImportSettings, type Prepared } from '../prepare/prepare.js';
import { statusNames, type StatusApi, type StatusNames } from '../prepare/status-names.js';
import { itemAt } from '../../shared/item-at.js';

export interface ConversationApi extends MessageApi, StatusApi {
  conversation(id: string): Promise<FrontConversation>;
}

export interface ConversationImportDeps {
  api: ConversationApi;
  store: ConversationStore & Deliveries & Locks;
  targets: readonly DeliveryTarget[];
  settings: ImportSettings;
  signal?: AbortSignal;
  warn(line: string): void;
  /** Front's now (see PrepareDeps): times ahead of it do not order states. */
  clock?: () => number;
  frontTime?: (localMs: number) => number | null;
}

export type ConversationOutcome = UpsertOutcome | 'skipped' | 'failed' | 'gone';
export type ConversationCounts = Record<ConversationOutcome, number> & { delivered: number; refused: number };

/** A conversation a webhook body carried whole (see listen/coalesce.ts). */
export interface GivenConversation {
  conversation: FrontConversation;
  /** Its latest message, when one of the bodies carried it; else the store's or one request. */
  message: FrontMessage | null;
  /** The newest inbound message the bodies carried (highlights.textFrom latest-inbound). */
  inbound: FrontMessage | null;
}

/** What to import: conversations to read, and conversations webhook bodies carried whole. */
export interface ConversationSources {
  fetch: string[];
  given: GivenConversation[];
}

/**
 * Imports the conversations into the store, then delivers everything pending. `statusName` is the
 * listener's own, so the ticket status names are read once per process rather than once per batch.
 */
export async function importConversations(
  sources: ConversationSources,
  deps: ConversationImportDeps,
  statusName: StatusNames = statusNames(deps.api, deps.warn),
): Promise<ConversationCounts> {
  const counts: ConversationCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, gone: 0, delivered: 0, refused: 0 };
  const fetched = await Promise.all([...new Set(sources.fetch)].map((id) => fetchConversation(id, deps)));
  const candidates: Candidate[] = sources.given.map((g) => ({ conversation: g.conversation, embedded: { latest: g.message, text: g.inbound }, inboxes: null }));
  for (const f of fetched) {
    if (f === 'gone' || f === 'skipped') counts[f] += 1;
    else candidates.push(readCandidate(f));
  }
  const prepared = await prepareConversations(candidates, { ...deps, statusName, events: null });
  for (const p of prepared) counts[await store(p, deps.store)] += 1;
  const delivery = await deliverAll(deps.store, deps.targets, { signal: deps.signal, warn: deps.warn, command: 'listen' });
  counts.delivered = delivery.delivered;
  counts.refused = delivery.refused;
  if (delivery.error) throw delivery.error;
  return counts;
}

/** Imports one conversation into the store (not yet delivered); a 404 on its messages is thrown. */
export async function importConversation(id: string, deps: ImportOneDeps, statusName: StatusNames): Promise<ConversationOutcome> {
  const fetched = await fetchConversation(id, deps);
  if (fetched === 'gone' || fetched === 'skipped') return fetched;
  const prepared = await prepareConversations([readCandidate(fetched)], { ...deps, statusName, events: null });
  return store(itemAt(prepared, 0), deps.store);
}

/**
 * Stores a prepared conversation; one whose messages Front will not serve is thrown (see
 * poisoned.ts). One that no subscription takes is stored (a subscription added later can start
 * from it) but counts as skipped.
 */
async function store(p: Prepared, conversations: ConversationStore): Promise<ConversationOutcome> {
  if (p.kind === 'item') {
    const outcome = await conversations.upsert(p.item);
    return p.item.deliveries.length > 0 ? outcome : 'skipped';
  }
  if (p.kind === 'unreadable') throw p.error;
  return p.kind === 'older' ? 'unchanged' : p.kind;
}

/** A conversation read by id: its preview carries no message, and routing uses the stored inboxes. */
function readCandidate(conversation: FrontConversation): Candidate {
  return { conversation, embedded: { latest: null, text: null }, inboxes: null };
}

type ImportOneDeps = Pick<ConversationImportDeps, 'api' | 'settings' | 'warn' | 'clock' | 'frontTime'> & { store: ConversationStore };

async function fetchConversation(id: string, deps: Pick<ConversationImportDeps, 'api' | 'warn'>): Promise<FrontConversation | 'gone' | 'skipped'> {
  try {
    return await deps.api.conversation(id);
  } catch (err) {
    if (err instanceof FrontRequestError && err.status === 404) return 'gone';
    if (err instanceof ScopeError) {
      deps.warn(`${id}: ${err.message}: skipped`);
      return 'skipped';
    }
    throw err;
  }
}
