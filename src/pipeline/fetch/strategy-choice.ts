// Which fetch strategy a run starts with. `auto` reads the first events page (the start of the
// events strategy anyway) and, when the window holds more than that page, the first listing page
// (how many conversations, and how many of them the store already holds the latest message of);
// when that first events page does not show events clearly cheaper, a few events pages from inside
// the window; then it starts with the cheaper. The chosen strategy continues from the page it
// already read. A resumed run continues the strategy its checkpoint saved.

import { ScopeError } from '../../errors.js';
import {
  CONVERSATIONS_PER_LISTING_PAGE,
  describeEstimate,
  estimateCosts,
  eventsSpan,
  judge,
  type CostEstimate,
  type Sample,
  type StrategySwitch,
} from './strategy-cost.js';
import type { ConversationUpdate, PageStream, Position, SourcePage, Strategy } from './source.js';

export type StrategyMode = 'auto' | Strategy;

/** The run's strategy story, saved in its checkpoint and reported by --json and --verbose. */
export interface StrategyPlan {
  mode: StrategyMode;
  /** Null when the strategy was not chosen by cost (forced, --limit, no events scope). */
  estimate: CostEstimate | null;
  /** Message events the estimate's density came from. */
  sampleEvents: number;
  switches: StrategySwitch[];
}

export interface OpeningRequest {
  mode: StrategyMode;
  limit?: number;
  /** A checkpoint being resumed: its strategy and position win. */
  resume: { strategy: Strategy; position: Position | null; plan: StrategyPlan | null } | null;
  /** The window ends before now (--until): see BOUNDED. */
  bounded?: boolean;
}

export interface OpeningStreams {
  /** The events strategy; `readAhead` false holds back the next events page. */
  events(readAhead: () => boolean): PageStream;
  /** The listing strategy; a `pageSize` stops it from reading ahead. */
  listing(pageSize?: number): PageStream;
  /** The stream that continues a saved position of `strategy` (a switched run's listing is the events strategy's listing stage). */
  resume(strategy: Strategy, position: Position | null): PageStream;
  /** Where the window's messages lie by these conversations' times (message-shares.ts); null when they say nothing. */
  messageShares(updates: ConversationUpdate[]): number[] | null;
  /** Share of these conversations whose latest message the store does not hold. */
  fetchShare(updates: ConversationUpdate[]): Promise<number>;
  /** Message events sampled from inside the window (see density-probe.ts). */
  density(): Promise<Sample>;
  /** Hands the listing page read to choose to the events strategy's listing stage, which starts with it instead of reading it again. */
  keepListed(page: SourcePage): void;
}

export interface Opening {
  strategy: Strategy;
  reason: string;
  plan: StrategyPlan;
  /** The chosen strategy's pages, the ones read to choose included. */
  pages: AsyncGenerator<SourcePage>;
}

const NO_EVENTS = 'token cannot read /events (needs events:*:read): listing conversations instead';
/**
 * The listing shows each conversation at its latest activity, so a conversation active inside a
 * window that ends before now and active again since is listed after the window's end, as if it had
 * no activity inside: only the event stream dates activity. auto reads a bounded window there, at
 * whatever cost, and never switches away (a plan without an estimate is not watched).
 */
const BOUNDED = 'the window ends before now (--until): only the event stream shows which conversations were active inside it';

export async function openFetch(req: OpeningRequest, streams: OpeningStreams): Promise<Opening> {
  const plan = (estimate: CostEstimate | null = null, sampleEvents = 0): StrategyPlan => ({ mode: req.mode, estimate, sampleEvents, switches: [] });
  if (req.resume) {
    const { strategy, position } = req.resume;
    const opened = await firstPage(streams.resume(strategy, position)(position), strategy === 'events');
    const reason = `resuming the ${strategy} fetch saved by an earlier run`;
    if (opened) return { strategy, reason, plan: req.resume.plan ?? plan(), pages: opened };
    return { strategy: 'listing', reason: NO_EVENTS, plan: plan(), pages: streams.listing()(null) };
  }
  if (req.limit !== undefined) {
    const reason = `--limit ${req.limit}: the newest conversations come first in the listing, without walking the event stream`;
    return { strategy: 'listing', reason, plan: plan(), pages: streams.listing(req.limit)(null) };
  }
  if (req.mode === 'listing') return { strategy: 'listing', reason: '--strategy listing', plan: plan(), pages: streams.listing()(null) };

  let deciding = req.mode === 'auto';
  const events = await firstPage(streams.events(() => !deciding)(null), true);
  if (!events) return { strategy: 'listing', reason: NO_EVENTS, plan: plan(), pages: streams.listing()(null) };
  if (req.mode === 'events') return { strategy: 'events', reason: '--strategy events', plan: plan(), pages: events };
  if (req.bounded) return { strategy: 'events', reason: BOUNDED, plan: plan(), pages: events };

  const first = events.first;
  const start = first.sample;
  if (!start || first.resume?.stage !== 'messages') {
    deciding = false;
    return { strategy: 'events', reason: "the window's message events fit in the one events page already read", plan: plan(), pages: events };
  }
  const listed = await firstPage(streams.listing(CONVERSATIONS_PER_LISTING_PAGE)(null), false);
  const listingFirst = listed.first;
  await listed.return(undefined);
  const conversations = { items: listingFirst.sample?.items ?? listingFirst.updates.length, span: listingFirst.sample?.fraction ?? 1 };
  // The page showed the first lane to its end: the events strategy's listing stage starts with it.
  const firstLaneListed = listingFirst.resume === null || listingFirst.resume.lane > 0;
  const fetchShare = await streams.fetchShare(listingFirst.updates);
  const whole = firstLaneListed && conversations.span >= 1 ? { messageShares: streams.messageShares(listingFirst.updates) } : null;
  let sample: Sample = { items: start.items, span: eventsSpan({ messageShares: whole?.messageShares ?? null }, 0, start.fraction) };
  let estimate = estimateCosts(sample, conversations, fetchShare, whole);
  let judged = judge(sample, estimate);
  // The stream's first page is enough to go on with events (the mid-run check corrects it), never
  // to leave them: only pages from inside the window can show the listing cheaper. The probe pages
  // are paid by whichever strategy runs: a window the listing shows whole reads none, its stream is
  // judged page by page from the first (three probe pages would be 3-15% of its cost, more than a
  // wrong start costs it), while a larger one's watch waits for 200 events, which cost more than them.
  const probing = !judged.eventsCheaper && whole === null;
  if (probing) {
    sample = await streams.density();
    estimate = estimateCosts(sample, conversations, fetchShare, whole);
    judged = judge(sample, estimate);
  }
  const costs = describeEstimate(estimate);
  deciding = false;
  if (judged.eventsDearer) {
    await events.return(undefined);
    const rest = listingFirst.resume ? streams.listing()(listingFirst.resume) : null;
    return { strategy: 'listing', reason: `${costs}: listing`, plan: plan(estimate, sample.items), pages: startingWith(listingFirst, rest) };
  }
  if (firstLaneListed) streams.keepListed(listingFirst);
  const verdict = judged.eventsCheaper ? 'events' : `events, re-judged on every page (too close to call on ${probing ? 'the pages sampled' : 'the first page'})`;
  return { strategy: 'events', reason: `${costs}: ${verdict}`, plan: plan(estimate, sample.items), pages: events };
}

type Opened = AsyncGenerator<SourcePage> & { first: SourcePage };

/**
 * The stream with its first page already read (so a ScopeError surfaces here), or null when the
 * token may not read /events and `scopeFallback` allows the listing instead; an empty stream opens
 * as one empty, finished page.
 */
async function firstPage(pages: AsyncGenerator<SourcePage>, scopeFallback: false): Promise<Opened>;
async function firstPage(pages: AsyncGenerator<SourcePage>, scopeFallback: boolean): Promise<Opened | null>;
async function firstPage(pages: AsyncGenerator<SourcePage>, scopeFallback: boolean): Promise<Opened | null> {
  let step: IteratorResult<SourcePage>;
  try {
    step = await pages.next();
  } catch (err) {
    if (err instanceof ScopeError && scopeFallback) return null;
    throw err;
  }
  if (step.done) return Object.assign(emptyPages(), { first: { updates: [], messages: [], resume: null, progress: 1 } });
  return Object.assign(startingWith(step.value, pages), { first: step.value });
}

async function* startingWith(first: SourcePage, rest: AsyncGenerator<SourcePage> | null): AsyncGenerator<SourcePage> {
  yield first;
  if (rest) yield* rest;
}

async function* emptyPages(): AsyncGenerator<SourcePage> {}
