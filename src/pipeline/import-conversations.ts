// Imports named conversations (from webhook events): their previews carry no message bodies, so
// each conversation is read through the shared, paced client, and its latest message only when
// the store does not already hold it. Same mapping, store and delivery as backfill and sync.

import { FrontRequestError, ScopeError } from '../errors.js';
import type { FrontConversation } from '../front/types.js';
import type { Destination } from '../destinations/types.js';
import { mapHighlight } from '../highlight/map.js';
import type { ConversationStore, Outbox } from '../store/roles.js';
import type { UpsertOutcome } from '../store/types.js';
import { deliverPending } from './deliver.js';
import type { ImportSettings } from './import-run.js';
import { resolveMessages, type MessageApi } from './latest-message.js';
import { mapStatus } from '../highlight/status.js';
import { becameHidden, inScope, statusMayBeInScope } from './scope.js';
import { statusNames, type StatusApi, type StatusNames } from './status-names.js';

export interface ConversationApi extends MessageApi, StatusApi {
  conversation(id: string): Promise<FrontConversation>;
}

export interface ConversationImportDeps {
  api: ConversationApi;
  store: ConversationStore & Outbox;
  destination: Destination;
  settings: ImportSettings;
  signal?: AbortSignal;
  warn(line: string): void;
}

export type ConversationOutcome = UpsertOutcome | 'skipped' | 'gone';

/** Imports one conversation into the store (not yet delivered). */
export async function importConversation(id: string, deps: Pick<ConversationImportDeps, 'api' | 'store' | 'settings' | 'warn'>, statusName: StatusNames): Promise<ConversationOutcome> {
  let conversation: FrontConversation;
  try {
    conversation = await deps.api.conversation(id);
  } catch (err) {
    if (err instanceof FrontRequestError && err.status === 404) return 'gone';
    if (err instanceof ScopeError) {
      deps.warn(`${id}: ${err.message}: skipped`);
      return 'skipped';
    }
    throw err;
  }
  const { settings, store } = deps;
  const snapshot = (await store.snapshots([conversation.id])).get(conversation.id);
  if (!statusMayBeInScope(mapStatus(conversation.status).value, snapshot, settings.scope)) return 'skipped';
  // Fetched by id, with no event stream: the text choice costs at most one request (latest-message.ts).
  const choice = { textFrom: settings.textFrom, maxTextLength: settings.maxTextLength, events: null };
  const [resolved, name] = await Promise.all([resolveMessages(conversation, { latest: null, text: null }, snapshot, deps.api, choice), statusName(conversation)]);
  const mapped = mapHighlight(
    { conversation, lastMessage: resolved.message, textMessage: resolved.text, statusName: name },
    { maxTextLength: settings.maxTextLength, labelRules: settings.labelRules, inboxes: [] },
  );
  if (!mapped.ok) {
    deps.warn(`${conversation.id}: not imported: ${mapped.reason}`);
    return 'skipped';
  }
  if (!inScope(mapped.highlight, conversation, settings.scope) && !becameHidden(mapped.highlight, conversation, snapshot, settings.scope)) return 'skipped';
  return store.upsert({
    highlight: mapped.highlight,
    lastMessageId: resolved.message?.id ?? null,
    frontUpdatedAt: typeof conversation.updated_at === 'number' ? conversation.updated_at : null,
    lastMessage: resolved.message,
  });
}

/** Imports the conversations, then delivers everything pending. */
export async function importConversations(ids: string[], deps: ConversationImportDeps): Promise<Record<ConversationOutcome, number> & { delivered: number }> {
  const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, gone: 0, delivered: 0 };
  const statusName = statusNames(deps.api, deps.warn);
  for (const id of new Set(ids)) counts[await importConversation(id, deps, statusName)] += 1;
  const delivery = await deliverPending(deps.store, deps.destination, { signal: deps.signal, warn: deps.warn });
  counts.delivered = delivery.delivered;
  return counts;
}
