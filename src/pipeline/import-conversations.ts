// Imports named conversations (from webhook events): their previews carry no message bodies, so
// each conversation is read through the shared, paced client, then prepared by the same step as
// backfill and sync (fetched by id, with no event stream, the text choice costs at most one
// request; see latest-message.ts), stored and delivered.

import { FrontRequestError, ScopeError } from '../errors.js';
import type { FrontConversation } from '../front/types.js';
import type { Destination } from '../destinations/types.js';
import type { ConversationStore, Locks, Outbox } from '../store/roles.js';
import type { UpsertOutcome } from '../store/types.js';
import { deliverPending } from './deliver.js';
import type { MessageApi } from './latest-message.js';
import { prepareConversations, type Candidate, type ImportSettings, type Prepared } from './prepare.js';
import { statusNames, type StatusApi, type StatusNames } from './status-names.js';

export interface ConversationApi extends MessageApi, StatusApi {
  conversation(id: string): Promise<FrontConversation>;
}

export interface ConversationImportDeps {
  api: ConversationApi;
  store: ConversationStore & Outbox & Locks;
  destination: Destination;
  settings: ImportSettings;
  signal?: AbortSignal;
  warn(line: string): void;
}

export type ConversationOutcome = UpsertOutcome | 'skipped' | 'failed' | 'gone';
export type ConversationCounts = Record<ConversationOutcome, number> & { delivered: number };

/** Imports the conversations into the store, then delivers everything pending. */
export async function importConversations(ids: string[], deps: ConversationImportDeps): Promise<ConversationCounts> {
  const counts: ConversationCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, gone: 0, delivered: 0 };
  const fetched = await Promise.all([...new Set(ids)].map((id) => fetchConversation(id, deps)));
  const candidates: Candidate[] = [];
  for (const f of fetched) {
    if (f === 'gone' || f === 'skipped') counts[f] += 1;
    else candidates.push({ conversation: f, embedded: { latest: null, text: null }, inbox: null });
  }
  const prepared = await prepareConversations(candidates, { ...deps, statusName: statusNames(deps.api, deps.warn), events: null });
  for (const p of prepared) counts[await store(p, deps.store)] += 1;
  const delivery = await deliverPending(deps.store, deps.destination, { signal: deps.signal, warn: deps.warn, command: 'listen' });
  counts.delivered = delivery.delivered;
  return counts;
}

/** Imports one conversation into the store (not yet delivered); a 404 on its messages is thrown. */
export async function importConversation(id: string, deps: ImportOneDeps, statusName: StatusNames): Promise<ConversationOutcome> {
  const fetched = await fetchConversation(id, deps);
  if (fetched === 'gone' || fetched === 'skipped') return fetched;
  const [prepared] = await prepareConversations([{ conversation: fetched, embedded: { latest: null, text: null }, inbox: null }], { ...deps, statusName, events: null });
  return store(prepared!, deps.store);
}

/** Stores a prepared conversation; one whose messages Front will not serve is thrown (see poisoned.ts). */
async function store(p: Prepared, conversations: ConversationStore): Promise<ConversationOutcome> {
  if (p.kind === 'item') return conversations.upsert(p.item);
  if (p.kind === 'unreadable') throw p.error;
  return p.kind === 'older' ? 'unchanged' : p.kind;
}

type ImportOneDeps = Pick<ConversationImportDeps, 'api' | 'settings' | 'warn'> & { store: ConversationStore };

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
