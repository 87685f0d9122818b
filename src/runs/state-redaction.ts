// State redaction: with highlights.redact or pseudonymize on, nothing the state keeps may hold the
// personal data a run would now redact, whenever it was stored. Run at the start of every recorded
// run (backfill, sync, replay, retry-refused) whose redaction settings differ from the ones the
// state was last redacted with (their fingerprint, never the key, is kept in meta), and by
// `front-import state redact`. It rewrites in place, in batches, each with its progress in the same
// or a following transaction, so a kill leaves it resumable and a batch done twice is harmless:
//
// 1. conversations: the stored Highlight and message texts as an import with these settings would
//    store them (redact/at-rest.ts); each destination that already has the conversation gets it
//    queued at the redacted version (the one re-send redaction costs), nobody else;
// 2. every other text at rest (store/at-rest.ts): outbox payloads of destinations no subscription
//    names now, open batches (dropped: their items go out again in new batches), refusal and
//    webhook errors, staged messages, webhook full event data, run errors and arguments; the list
//    of unreadable conversations in meta;
// 3. the free space: SQLite VACUUM and WAL truncated, PostgreSQL VACUUM (store scrubFreeSpace).
//
// Cursors never move, delivered stays delivered at the version the destination has, refusals stay
// recorded (a refused item's redacted version is a new version: tried again, as any change is).

import type { ResolvedConfig, Subscription } from '../config/types.js';
import type { FrontMessage } from '../front/types.js';
import { loadLanguageDetector } from '../highlight/language.js';
import type { Highlight } from '../highlight/types.js';
import { storedFacts, subscriptionHighlight, subscriptionTarget, type SubscriptionTarget } from '../pipeline/index.js';
import { redactedBase, redactFrontMessage, redactFullEvent } from '../redact/apply.js';
import { redactJsonStrings, redactStoredConversation } from '../redact/at-rest.js';
import { redactorFor } from '../redact/from-config.js';
import type { Redactor } from '../redact/redactor.js';
import { AT_REST_COLUMNS, type AtRestColumn, type ScrubReport } from '../store/at-rest.js';
import { POISONED_META_KEY, type PoisonedConversation, STATE_REDACTION_META, type StateRedactionRecord } from '../store/keys.js';
import type { Store } from '../store/roles.js';
import type { FullEventData, StoredConversation, UpsertItem } from '../store/types.js';

/** The checkpoint that holds a redaction's progress, and the meta value a finished one leaves. */
export const STATE_REDACTION_KEY = 'state-redaction';
export { STATE_REDACTION_META };

const CONVERSATION_BATCH = 200;
const ROW_BATCH = 500;

type Phase = 'conversations' | AtRestColumn | 'meta' | 'scrub';
const COLUMNS = Object.keys(AT_REST_COLUMNS) as AtRestColumn[];
const PHASES: readonly Phase[] = ['conversations', ...COLUMNS, 'meta', 'scrub'];

interface Progress {
  fingerprint: string;
  phase: Phase;
  after: string | null;
}

export interface StateRedactionReport {
  conversations: number;
  /** Conversations queued again at a new (redacted) version for some destination that had them. */
  requeued: number;
  /** Other rows rewritten (or open batches dropped), by column. */
  rows: Record<string, number>;
  scrub: ScrubReport;
  resumed: boolean;
}

export interface StateRedactionOptions {
  /** Rewrite even when the state was redacted with these settings already (`state redact`). */
  force?: boolean;
  clock: () => number;
  /** Between batches: a stopped redaction resumes where it was. */
  signal?: AbortSignal;
}

type RedactionSettings = Pick<ResolvedConfig, 'highlights'> & { subscriptions: readonly Subscription[] };

/** Null when nothing was to do: redaction off, or the state already redacted with these settings. */
export async function redactStateAtRest(store: Store, config: RedactionSettings, opts: StateRedactionOptions): Promise<StateRedactionReport | null> {
  const r = redactorFor(config.highlights);
  const at = () => new Date(opts.clock()).toISOString();
  const recorded = await store.getMeta<StateRedactionRecord>(STATE_REDACTION_META);
  if (!r.active || r.fingerprint === null) {
    // What is stored from now on is in the clear: turning redaction on again must rewrite it.
    if (recorded && recorded.fingerprint !== null) await store.setMeta(STATE_REDACTION_META, { fingerprint: null, at: at(), scrubbed: false });
    return null;
  }
  const saved = await store.getCheckpoint<Progress>(STATE_REDACTION_KEY);
  const resumed = saved?.fingerprint === r.fingerprint;
  let progress: Progress;
  if (resumed) progress = saved;
  else if (!opts.force && recorded?.fingerprint === r.fingerprint) {
    if (recorded.scrubbed) return null;
    progress = { fingerprint: r.fingerprint, phase: 'scrub', after: null };
  } else progress = { fingerprint: r.fingerprint, phase: 'conversations', after: null };

  const report: StateRedactionReport = { conversations: 0, requeued: 0, rows: {}, scrub: { done: false, detail: '' }, resumed };
  const run = new Redaction(store, r, config, report, opts.signal);
  for (const phase of PHASES.slice(PHASES.indexOf(progress.phase))) {
    const after = phase === progress.phase ? progress.after : null;
    if (phase === 'conversations') await run.conversations(after);
    else if (phase === 'meta') await run.meta();
    else if (phase === 'scrub') report.scrub = await store.scrubFreeSpace();
    else await run.column(phase, after);
  }
  await store.commitRun({
    clearCheckpoints: [STATE_REDACTION_KEY],
    cursors: [],
    meta: [{ key: STATE_REDACTION_META, value: { fingerprint: r.fingerprint, at: at(), scrubbed: report.scrub.done } satisfies StateRedactionRecord }],
  });
  return report;
}

/** One line for the run's output. */
export function stateRedactionLine(report: StateRedactionReport): string {
  const rows = Object.values(report.rows).reduce((n, c) => n + c, 0);
  const what = `${report.conversations} stored conversation(s) and ${rows} other row(s) rewritten`;
  return `state redaction${report.resumed ? ' (resumed)' : ''}: ${what}, ${report.requeued} Highlight(s) queued again redacted; ${report.scrub.detail}`;
}

class Redaction {
  private readonly targets: SubscriptionTarget[];

  constructor(
    private readonly store: Store,
    private readonly r: Redactor,
    private readonly config: RedactionSettings,
    private readonly report: StateRedactionReport,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.targets = config.subscriptions.map((s) => subscriptionTarget(s, r));
  }

  private progress(phase: Phase, after: string | null): Progress {
    return { fingerprint: this.r.fingerprint ?? '', phase, after };
  }

  async conversations(from: string | null): Promise<void> {
    const detectLanguage = await loadLanguageDetector();
    const { maxTextLength } = this.config.highlights;
    for (let after = from; ; ) {
      this.signal?.throwIfAborted();
      const page = await this.store.storedConversations(after, CONVERSATION_BATCH, null);
      const last = page.at(-1);
      if (!last) return;
      const holders = await this.store.deliveryDestinations(page.map((c) => c.highlight.conversationId));
      const items = page.map((c) => this.item(c, holders.get(c.highlight.conversationId) ?? [], { maxTextLength, detectLanguage }));
      after = last.highlight.conversationId;
      // The page and where the next one starts, in one transaction.
      const outcomes = await this.store.persistPages({ runKey: STATE_REDACTION_KEY, messages: [], items, imported: [], checkpoint: this.progress('conversations', after) });
      this.report.conversations += page.length;
      this.report.requeued += outcomes.filter((o) => o === 'updated').length;
    }
  }

  private item(c: StoredConversation, holders: readonly string[], opts: Parameters<typeof redactStoredConversation>[2]): UpsertItem {
    const redacted = redactStoredConversation({ highlight: c.highlight, lastMessage: c.lastMessage }, this.r, opts);
    const facts = storedFacts(c);
    // Only destinations that have it: the re-send of what they hold, never a new delivery.
    const deliveries = this.targets.flatMap((t) => {
      if (!holders.includes(t.key)) return [];
      const highlight = subscriptionHighlight(redacted.highlight, facts, t, { status: c.highlight.status });
      return highlight ? [{ destination: t.key, highlight }] : [];
    });
    return {
      highlight: redacted.highlight,
      facts,
      deliveries,
      lastMessageId: redacted.lastMessage?.id ?? null,
      frontUpdatedAt: c.frontUpdatedAt,
      lastMessage: redacted.lastMessage,
    };
  }

  async column(column: AtRestColumn, from: string | null): Promise<void> {
    const rewrite = this.rewriter(column);
    for (let after = from; ; ) {
      this.signal?.throwIfAborted();
      const batch = await this.store.rewriteColumn(column, after, ROW_BATCH, rewrite);
      this.report.rows[column] = (this.report.rows[column] ?? 0) + batch.changed;
      if (batch.next === null) return;
      after = batch.next;
      await this.store.setCheckpoint(STATE_REDACTION_KEY, this.progress(column, after));
    }
  }

  private rewriter(column: AtRestColumn): (value: string) => string {
    const { r } = this;
    const { maxTextLength } = this.config.highlights;
    const json =
      <T>(fn: (value: T) => unknown) =>
      (value: string): string => {
        return JSON.stringify(fn(JSON.parse(value) as T));
      };
    switch (column) {
      case 'outboxPayloads':
        return json<Highlight>((h) => redactedBase(h, r));
      case 'openBatches':
        return json<Highlight[]>((hs) => hs.map((h) => redactedBase(h, r)));
      case 'stagedMessages':
        return json<FrontMessage>((m) => redactFrontMessage(m, r, maxTextLength));
      case 'webhookEvents':
        return json<FullEventData>((full) => redactFullEvent({ full }, r, maxTextLength).full);
      case 'runArgs':
        return json<unknown>((args) => redactJsonStrings(args, r));
      default:
        return (text) => r.text(text);
    }
  }

  async meta(): Promise<void> {
    const poisoned = await this.store.getMeta<PoisonedConversation[]>(POISONED_META_KEY);
    if (!Array.isArray(poisoned)) return;
    const redacted = poisoned.map((p) => ({ ...p, error: this.r.text(p.error) }));
    if (JSON.stringify(redacted) !== JSON.stringify(poisoned)) await this.store.setMeta(POISONED_META_KEY, redacted);
  }
}
