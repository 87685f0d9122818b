// The one "prepare a conversation" step, whichever command imports it (backfill, sync, listen):
// skip a state older than the stored one, find the messages it needs, map it once (its warnings
// reported), then give each subscription its own Highlight of it when it is in that subscription's
// scope. Storing is left to the caller: an import run writes a page together with its checkpoint,
// the listener one conversation at a time. The conversation is stored even when no subscription
// takes it, so a subscription added later can start from the state.

import type { ResolvedConfig, Subscription } from '../../config/types.js';
import { destinationKey } from '../../config/destination-key.js';
import { ScopeError, type FrontRequestError } from '../../errors.js';
import type { TeamNames } from '../../front/teams.js';
import type { FrontConversation, FrontMessage } from '../../front/types.js';
import { loadLanguageDetector, type LanguageDetector } from '../../highlight/language.js';
import { mapHighlight } from '../../highlight/map.js';
import { mapStatus } from '../../highlight/status.js';
import type { TextFrom } from '../../highlight/types.js';
import { redactedBase, redactFrontMessage, redactStoredMessage } from '../../redact/apply.js';
import { redactorFor } from '../../redact/from-config.js';
import { countMarkers, IDENTITY, type Redactor } from '../../redact/redactor.js';
import { RedactionTally } from '../../redact/tally.js';
import type { ConversationStore } from '../../store/roles.js';
import type { ConversationSnapshot, UpsertItem } from '../../store/types.js';
import { isOlderState, trustedTime } from '../../store/upsert-rule.js';
import { resolveMessages, type EmbeddedMessages, type MessageApi, type MessageChoice, type ResolvedMessage } from './latest-message.js';
import { isUnreadableMessages } from './poisoned-record.js';
import { statusMayBeInScope } from '../fetch/scope.js';
import type { StatusNames } from './status-names.js';
import { HeldBackTally } from './held-back.js';
import { conversationFacts, isHeldBack, subscriptionHighlight, type SubscriptionRules } from './subscription-highlight.js';

/** A subscription as the pipeline sees it: whose delivery state (destination key) gets what. */
export interface SubscriptionTarget extends SubscriptionRules {
  name: string;
  /** destinationKey of its destination: the owner of its delivery state. */
  key: string;
}

export interface ImportSettings {
  targets: SubscriptionTarget[];
  maxTextLength: number;
  /** Which message the text comes from (highlights.textFrom). */
  textFrom: TextFrom;
  /** highlights.redact / pseudonymize, applied before anything is stored or sent. */
  redactor?: Redactor;
  /** Redactions counted per conversation over the run (--json, the summary). */
  redactions?: RedactionTally;
  /** Conversations held back from a subscription whose custom fields could not be checked. */
  heldBack?: HeldBackTally;
  /** The Highlight's `team` from the inboxes it was seen in (read once per run); [] without it. */
  teamNames?: TeamNames;
  /** Applied to each message the run stages (the event stream's), so none is kept unredacted. */
  stageMessage?: (message: FrontMessage) => FrontMessage;
}

export function subscriptionTarget(subscription: Subscription, redactor: Redactor = IDENTITY): SubscriptionTarget {
  return {
    name: subscription.name,
    key: destinationKey(subscription.destination),
    scope: subscription.scope,
    labelRules: subscription.routing.labels,
    ...(redactor.active ? { redactor } : {}),
    ...(subscription.customFieldsUnreadable ? { customFieldsUnreadable: true } : {}),
  };
}

/** What a run imports: each subscription's scope and label rules, the config's text and redaction settings. */
export function importSettingsFrom(
  subscriptions: readonly Subscription[],
  highlights: ResolvedConfig['highlights'],
  teamNames?: TeamNames,
): ImportSettings & { redactor: Redactor } {
  const redactor = redactorFor(highlights);
  return {
    targets: subscriptions.map((s) => subscriptionTarget(s, redactor)),
    maxTextLength: highlights.maxTextLength,
    textFrom: highlights.textFrom,
    redactor,
    redactions: new RedactionTally(),
    heldBack: new HeldBackTally(),
    ...(teamNames ? { teamNames } : {}),
    ...(redactor.active ? { stageMessage: (m: FrontMessage) => redactFrontMessage(m, redactor, highlights.maxTextLength) } : {}),
  };
}

export interface Candidate {
  conversation: FrontConversation;
  /** Messages that came with it (an event page's, or ones staged from the run's event stream). */
  embedded: EmbeddedMessages;
  /** The inbox lanes it was found in ([] when the run reads one stream of every inbox); null when unknown (fetched by id). */
  inboxes: { id: string; name: string }[] | null;
}

/**
 * 'item': to store, with a delivery for each subscription that takes it (none: out of every scope).
 * 'older': the store holds a newer state, so this one is left out (an event snapshot read again, a
 * webhook's fetch answered late). 'skipped': out of the token's reach, or of every subscription's
 * scope before any message request. 'failed': it cannot be mapped. 'unreadable': the conversation
 * reads but Front will not serve its messages (see run/poisoned.ts); the caller decides whether that
 * stops it.
 */
export type Prepared =
  | { kind: 'item'; item: UpsertItem }
  | { kind: 'older' | 'failed' }
  | { kind: 'skipped'; reason: 'outOfScope' | 'noAccess' }
  | { kind: 'unreadable'; error: FrontRequestError };

export interface PrepareDeps {
  api: MessageApi;
  store: Pick<ConversationStore, 'snapshots'>;
  settings: ImportSettings;
  /** Ticket status names, read once per run (or listener batch) when first needed. */
  statusName: StatusNames;
  /** The events strategy's window start, for the text choice (see MessageChoice.events); null otherwise. */
  events: MessageChoice['events'];
  warn(line: string): void;
  /** Counts each message request made. */
  onFetch?(requests: number): void;
  /** Milliseconds since the epoch, and Front's clock at one of ours (see FrontClock): Front's now, against which a time in the future is not trusted. */
  clock?: () => number;
  frontTime?: (localMs: number) => number | null;
}

/** Front's now in unix seconds (ours where no Date header was seen yet); undefined without a clock. */
export function frontNowOf(deps: Pick<PrepareDeps, 'clock' | 'frontTime'>): number | undefined {
  if (!deps.clock) return undefined;
  const local = deps.clock();
  return (deps.frontTime?.(local) ?? local) / 1000;
}

/**
 * Prepares the conversations together, so the few message requests overlap instead of idling the
 * rate budget one round trip at a time (the client's slots bound how many fly at once), and reads
 * their stored snapshots in one go. Outcomes are in the candidates' order.
 */
export async function prepareConversations(candidates: readonly Candidate[], deps: PrepareDeps): Promise<Prepared[]> {
  if (candidates.length === 0) return [];
  const [snapshots, detectLanguage] = await Promise.all([deps.store.snapshots(candidates.map((c) => c.conversation.id)), loadLanguageDetector()]);
  return Promise.all(candidates.map((c) => prepareOne(c, snapshots.get(c.conversation.id), deps, detectLanguage)));
}

async function prepareOne(candidate: Candidate, snapshot: ConversationSnapshot | undefined, deps: PrepareDeps, detectLanguage: LanguageDetector): Promise<Prepared> {
  const { conversation } = candidate;
  const { settings } = deps;
  // Event pages carry each conversation as it was at that event, so re-reading the stream (a
  // resumed or repeated backfill, sync's overlap) meets states older than the stored one, and a
  // webhook's fetch can be answered after a newer state was stored. Checked here before any message
  // request; the store checks again when it writes, since another process may store one meanwhile.
  const frontNow = frontNowOf(deps);
  if (isOlderState(conversation.updated_at, snapshot?.frontUpdatedAt, frontNow)) return { kind: 'older' };
  if (typeof conversation.updated_at === 'number' && trustedTime(conversation.updated_at, frontNow) === null) {
    deps.warn(`${conversation.id}: updated_at ${conversation.updated_at} is not a time Front's clock has reached (unix seconds, now ${Math.floor(frontNow ?? 0)}): not used to order its states`);
  }
  // A spam or trashed conversation no subscription takes costs no message request.
  const status = mapStatus(conversation.status).value;
  if (!settings.targets.some((t) => statusMayBeInScope(status, snapshot, t.scope))) return { kind: 'skipped', reason: 'outOfScope' };
  let resolved: ResolvedMessage;
  let statusName: string | null;
  try {
    const choice = { textFrom: settings.textFrom, maxTextLength: settings.maxTextLength, events: deps.events };
    [resolved, statusName] = await Promise.all([
      resolveMessages(conversation, candidate.embedded, snapshot, deps.api, choice),
      deps.statusName(conversation),
    ]);
  } catch (err) {
    if (isUnreadableMessages(err)) return { kind: 'unreadable', error: err };
    if (!(err instanceof ScopeError)) throw err;
    deps.warn(`${conversation.id}: ${err.message}: skipped`);
    return { kind: 'skipped', reason: 'noAccess' };
  }
  if (resolved.fetched > 0) deps.onFetch?.(resolved.fetched);
  // Fetched by id (a webhook) the inbox is unknown: the one a run's inbox lane last saw it in serves.
  const facts = conversationFacts(conversation, candidate.inboxes ?? (snapshot?.inboxes?.length ? snapshot.inboxes : null));
  // `team` from the inboxes known: this run's lanes, else the ones a run's lanes last saw, so a run
  // reading one stream does not flip it (and the version) back and forth.
  const seenIn = facts.inboxes?.length ? facts.inboxes : (snapshot?.inboxes ?? []);
  const teams = settings.teamNames ? await settings.teamNames(seenIn) : [];
  // Redacted before mapping and storing: the stored message texts are what the state keeps at rest.
  const redactor = settings.redactor ?? IDENTITY;
  const lastMessage = redactStoredMessage(resolved.message, redactor);
  const mapped = mapHighlight(
    { conversation, lastMessage, textMessage: redactStoredMessage(resolved.text, redactor), statusName, teams },
    { maxTextLength: settings.maxTextLength, labelRules: [], detectLanguage },
  );
  if (!mapped.ok) {
    deps.warn(`${conversation.id}: not imported: ${mapped.reason}`);
    return { kind: 'failed' };
  }
  for (const w of mapped.warnings) deps.warn(`${conversation.id}: ${w}`);
  const base = redactedBase(mapped.highlight, redactor);
  if (redactor.active) settings.redactions?.record(conversation.id, countMarkers(redactor, [base.title, base.text]));
  const frontUpdatedAt = typeof conversation.updated_at === 'number' ? conversation.updated_at : null;
  const deliveries = settings.targets.flatMap((target) => {
    const highlight = subscriptionHighlight(base, facts, target, snapshot);
    if (highlight) return [{ destination: target.key, highlight }];
    // A held-back conversation has no Highlight for the subscription: only then is it asked.
    if (isHeldBack(base, facts, target, snapshot)) settings.heldBack?.record(target, conversation.id, frontUpdatedAt);
    return [];
  });
  return {
    kind: 'item',
    item: {
      highlight: base,
      facts,
      deliveries,
      lastMessageId: resolved.message?.id ?? null,
      frontUpdatedAt,
      ...(frontNow === undefined ? {} : { frontNow }),
      lastMessage,
    },
  };
}
