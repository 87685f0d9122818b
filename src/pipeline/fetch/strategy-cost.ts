// What each fetch strategy costs in requests per Highlight, estimated from the first pages of a
// window and re-judged on every page, so a run never keeps paying for the dearer one. Pure: the
// import run feeds it pages and asks whether to switch.
//
// The events strategy pays one request per 15 message events in the window; the listing strategy
// one request per conversation whose latest message the store does not already hold. Both read the
// conversation listing (100 per request), so that part cancels out of every comparison.

import { shareAt } from './message-shares.js';
import type { Strategy } from './source.js';
import { itemAt } from '../../shared/item-at.js';

export const MESSAGES_PER_EVENTS_PAGE = 15;
export const CONVERSATIONS_PER_LISTING_PAGE = 100;
/** The other strategy must look this much cheaper before a run leaves the one it is on. */
const MARGIN = 1.1;
/**
 * A mid-run sample of the event stream judges only once it holds this many events spread over this
 * much of the window: a chat burst of a few minutes says nothing about the rest of the week.
 */
const SAMPLE_EVENTS = 200;
const SAMPLE_SPAN = 0.1;
/** Conversations the listing must have shown before its own observed cost is trusted. */
const LISTING_SAMPLE = 50;

/** Items seen over a share of the window (0..1]. */
export interface Sample {
  items: number;
  span: number;
}

export interface CostEstimate {
  /** In the window, extrapolated from the first listing page (exact when it reached the window's start). */
  conversations: number;
  /** Message events in the window, extrapolated from the first events page. */
  messages: number;
  /** Share of the listed conversations whose latest message the store does not hold. */
  fetchShare: number;
  eventsPerHighlight: number;
  listingPerHighlight: number;
  /** Whole-window requests at those rates (the listing both read included). */
  eventsRequests: number;
  listingRequests: number;
  /**
   * The listing page read to choose showed every conversation in the window (one lane, one page):
   * the conversation count and the listing's cost are known, not extrapolated, and that page serves
   * whichever strategy runs. Absent in checkpoints saved before it existed.
   */
  wholeListing?: boolean;
  /** Of a whole listing: where the window's messages lie (message-shares.ts), to weigh the events pages read. */
  messageShares?: number[] | null;
}

export interface StrategySwitch {
  from: Strategy;
  to: Strategy;
  /** Fraction of the stage reached when it switched. */
  atFraction: number;
  /** Requests per Highlight the strategy it left was costing at the time. */
  observedPerHighlight: number;
  /** What the other one was expected to cost. */
  otherPerHighlight: number;
  reason: string;
}

/** Items in the whole window at the density a sample shows (exact for a sample of the whole window). */
export function extrapolate(sample: Sample): number {
  return sample.items / Math.max(sample.span, 1e-6);
}

const listingPages = (conversations: number) => Math.floor(conversations / CONVERSATIONS_PER_LISTING_PAGE) + 1;

/** `whole`: the listing page showed the window whole, with where its messages lie (null: unknown). */
export function estimateCosts(messages: Sample, conversations: Sample, fetchShare: number, whole: { messageShares: number[] | null } | null = null): CostEstimate {
  const c = Math.max(1, Math.round(extrapolate(conversations)));
  const m = Math.round(extrapolate(messages));
  const pages = listingPages(c);
  const eventsRequests = Math.max(1, Math.ceil(m / MESSAGES_PER_EVENTS_PAGE)) + pages;
  const listingRequests = pages + Math.round(c * fetchShare);
  return {
    conversations: c,
    messages: m,
    fetchShare,
    eventsPerHighlight: eventsRequests / c,
    listingPerHighlight: listingRequests / c,
    eventsRequests,
    listingRequests,
    wholeListing: whole !== null,
    messageShares: whole?.messageShares ?? null,
  };
}

/**
 * The share of the window's message events between two points of the stream (fractions of the
 * window's time): by where a whole listing says they lie, else by the clock.
 */
export function eventsSpan(estimate: Pick<CostEstimate, 'messageShares'>, from: number, to: number): number {
  const shares = estimate.messageShares;
  return shares ? Math.max(0, shareAt(shares, to) - shareAt(shares, from)) : Math.max(0, to - from);
}

/** Events-strategy requests per Highlight at the density of `sample`. */
function eventsRate(sample: Sample, conversations: number): number {
  return extrapolate(sample) / MESSAGES_PER_EVENTS_PAGE / conversations + 1 / CONVERSATIONS_PER_LISTING_PAGE;
}

/** How far a density measured on `n` events may be off (about `sigmas` standard deviations, two by default). */
const lower = (n: number, sigmas = 2) => Math.max(0, 1 - sigmas / Math.sqrt(Math.max(1, n)));
const upper = (n: number) => 1 + 2 / Math.sqrt(Math.max(1, n));

export interface Judgement {
  eventsPerHighlight: number;
  /** Dearer than the listing even at the low end of what the sample could mean. */
  eventsDearer: boolean;
  /** Cheaper than the listing even at the high end. */
  eventsCheaper: boolean;
}

/**
 * Events against the listing at the density of `sample`, with room for the sample's own error. The
 * listing is chosen only on `eventsDearer`: a wrong start on events is caught by the mid-run check,
 * a wrong start on the listing is not (the listing learns nothing about the stream's density).
 */
export function judge(sample: Sample, estimate: CostEstimate): Judgement {
  const rate = eventsRate(sample, estimate.conversations);
  const listing = estimate.listingPerHighlight;
  // A whole listing's cost is counted, not extrapolated, and its messages' spread weighs the sample:
  // one standard deviation and no margin, since each events page read before leaving is a few percent
  // of a small window's cost (a first events page of 15 must be able to decide alone).
  const eventsDearer = estimate.wholeListing ? rate * lower(sample.items, 1) > listing : rate * lower(sample.items) > listing * MARGIN;
  return { eventsPerHighlight: rate, eventsDearer, eventsCheaper: rate * upper(sample.items) * MARGIN < listing };
}

const fixed = (n: number) => n.toFixed(2);

/**
 * Watches a run's pages and says when to switch. Events: the density of the most recent stretch of
 * the stream (so a window that turns chat-heavy halfway is caught there) against the listing's
 * rate. Listing: the requests it is actually paying per conversation against the events estimate.
 */
export class StrategyWatch {
  private pages: Sample[] = [];
  /** Every page watched, summed (a whole-listing window's sample). */
  private read: Sample = { items: 0, span: 0 };
  private lastFraction: number | null;
  private listed = 0;
  private listingRequests = 0;

  constructor(
    private readonly estimate: CostEstimate,
    /** Events the estimate's density came from (its confidence). */
    private readonly estimateEvents: number,
    /** Where the stage stood when watching began: 0 for a fresh run, null when resumed mid-stage. */
    startFraction: number | null,
  ) {
    this.lastFraction = startFraction;
  }

  /** After a page of message events; `fraction` is how far the stage has reached. */
  eventsPage(items: number, fraction: number): StrategySwitch | null {
    const before = this.lastFraction;
    this.lastFraction = fraction;
    if (before === null) return null;
    // A window the listing showed whole is judged on everything read so far, from its first page,
    // weighed by where its messages lie: its listing cost is known, and every page read before leaving
    // the stream is a large share of a small window's cost, so it cannot wait for a stretch of 200
    // events the way a large window does.
    const whole = this.estimate.wholeListing === true;
    if (whole) this.read = { items: this.read.items + items, span: this.read.span + eventsSpan(this.estimate, before, fraction) };
    else this.pages.push({ items, span: Math.max(0, fraction - before) });
    const sample = whole ? this.read : this.recentSample();
    if (!sample || fraction >= 1) return null;
    const { eventsDearer, eventsPerHighlight } = judge(sample, this.estimate);
    if (!eventsDearer) return null;
    return {
      from: 'events',
      to: 'listing',
      atFraction: fraction,
      observedPerHighlight: eventsPerHighlight,
      otherPerHighlight: this.estimate.listingPerHighlight,
      reason:
        `the event stream turned dense: ${Math.round(extrapolate(sample))} message events per window at the ${whole ? 'rate read so far' : 'recent rate'}, ` +
        `${fixed(eventsPerHighlight)} requests per Highlight against ${fixed(this.estimate.listingPerHighlight)} for the listing`,
    };
  }

  /** After a listing page: its conversations and the requests they cost (the page and message reads). */
  listingPage(conversations: number, requests: number): StrategySwitch | null {
    this.listed += conversations;
    this.listingRequests += requests;
    if (this.listed < LISTING_SAMPLE) return null;
    const observed = this.listingRequests / this.listed;
    const events = this.estimate.eventsPerHighlight * upper(this.estimateEvents) * MARGIN;
    if (observed <= events) return null;
    return {
      from: 'listing',
      to: 'events',
      atFraction: NaN,
      observedPerHighlight: observed,
      otherPerHighlight: this.estimate.eventsPerHighlight,
      reason: `the listing is costing ${fixed(observed)} requests per Highlight against ${fixed(this.estimate.eventsPerHighlight)} estimated for the event stream`,
    };
  }

  /** The latest pages back to SAMPLE_EVENTS events over SAMPLE_SPAN of the window; null until there are that many. */
  private recentSample(): Sample | null {
    let items = 0;
    let span = 0;
    for (let i = this.pages.length - 1; i >= 0; i--) {
      items += itemAt(this.pages, i).items;
      span += itemAt(this.pages, i).span;
      if (items >= SAMPLE_EVENTS && span >= SAMPLE_SPAN) {
        // Later samples end later and reach back no further than this one: older pages are not needed.
        this.pages.splice(0, i);
        return { items, span };
      }
    }
    return null;
  }
}

export function describeEstimate(e: CostEstimate): string {
  return (
    `estimated ${e.conversations} conversations and ${e.messages} message events in the window: ` +
    `events ${e.eventsRequests} requests (${fixed(e.eventsPerHighlight)} per Highlight), ` +
    `listing ${e.listingRequests} (${fixed(e.listingPerHighlight)}; ${Math.round(e.fetchShare * 100)}% of conversations need a message request)`
  );
}
