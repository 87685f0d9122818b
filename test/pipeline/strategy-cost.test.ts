// The cost model behind --strategy auto: estimates from samples, the choice, and the mid-run watch.

import { describe, expect, it } from 'vitest';
import { messageShares, shareAt } from '../../src/pipeline/fetch/message-shares.ts';
import { estimateCosts, judge, StrategyWatch } from '../../src/pipeline/fetch/strategy-cost.ts';

const conversations = { items: 300, span: 1 };

describe('estimates', () => {
  it('prices events at one request per 15 message events and the listing at one per conversation to fetch, both with the listing pages', () => {
    const e = estimateCosts({ items: 45, span: 0.01 }, { items: 100, span: 0.25 }, 0.5);
    expect(e.conversations).toBe(400);
    expect(e.messages).toBe(4500);
    expect(e.eventsRequests).toBe(300 + 5);
    expect(e.listingRequests).toBe(5 + 200);
  });

  it('a store that already holds the latest messages makes the listing nearly free', () => {
    const e = estimateCosts({ items: 15, span: 0.01 }, conversations, 0);
    expect(e.listingPerHighlight).toBeLessThan(0.02);
    expect(judge({ items: 45, span: 0.03 }, e).eventsDearer).toBe(true);
  });
});

describe('judge', () => {
  const e = estimateCosts({ items: 15, span: 0.01 }, conversations, 1);
  it('leaves the events only when they are dearer even at the low end of a small sample', () => {
    // 40 messages per conversation: 12,000 events, 2.7 requests per Highlight.
    expect(judge({ items: 15, span: 15 / 12_000 }, e).eventsDearer).toBe(true);
    // 12 per conversation: 0.8, within a small sample's error of the listing's 1.01.
    const close = judge({ items: 15, span: 15 / 3600 }, e);
    expect(close.eventsDearer).toBe(false);
    expect(close.eventsCheaper).toBe(false);
    expect(judge({ items: 15, span: 15 / 600 }, e).eventsCheaper).toBe(true);
  });
});

describe('StrategyWatch', () => {
  const e = estimateCosts({ items: 15, span: 0.01 }, conversations, 1);
  /** Pages of 15 events at `perWindow` events per window, from fraction `from` to `to`; the first switch, if any. */
  function walk(watch: StrategyWatch, segments: Array<{ perWindow: number; to: number }>) {
    let at = 0;
    for (const { perWindow, to } of segments) {
      while (at < to) {
        at = Math.min(to, at + 15 / perWindow);
        const change = watch.eventsPage(15, at);
        if (change) return change;
      }
    }
    return null;
  }

  it('stays on the events through a steady stream just cheaper than the listing, and through a burst', () => {
    const watch = new StrategyWatch(e, 15, 0);
    expect(walk(watch, [{ perWindow: 3600, to: 0.3 }, { perWindow: 30_000, to: 0.305 }, { perWindow: 3600, to: 1 }])).toBeNull();
  });

  it('switches to the listing soon after the stream turns dense, and says why', () => {
    const watch = new StrategyWatch(e, 15, 0);
    const change = walk(watch, [{ perWindow: 600, to: 0.5 }, { perWindow: 12_000, to: 1 }]);
    expect(change).toMatchObject({ from: 'events', to: 'listing' });
    expect(change!.atFraction).toBeGreaterThan(0.5);
    expect(change!.atFraction).toBeLessThan(0.65);
    expect(change!.observedPerHighlight).toBeGreaterThan(change!.otherPerHighlight);
    expect(change!.reason).toMatch(/turned dense/);
  });

  it('on the listing, switches to the events once the listing costs clearly more per Highlight than they would', () => {
    const cheapEvents = estimateCosts({ items: 15, span: 15 / 600 }, conversations, 1);
    const watch = new StrategyWatch(cheapEvents, 45, 0);
    expect(watch.listingPage(40, 41)).toBeNull();
    expect(watch.listingPage(40, 41)).toMatchObject({ from: 'listing', to: 'events' });
  });
});

describe('a window the listing showed whole', () => {
  const DAY = 86_400;
  const since = 100 * DAY;
  const end = since + 3 * DAY;

  it('places its messages by the listed conversations: those that began before the window leave its start sparse', () => {
    // Ten conversations each spread over the two days before their last activity, which is late in the window.
    const late = Array.from({ length: 10 }, (_, i) => ({ id: `cnv_${i}`, created_at: end - 2 * DAY - i * 60, updated_at: end - i * 60 }));
    const shares = messageShares(late, since, end)!;
    expect(shares[0]).toBe(0);
    expect(shares[shares.length - 1]).toBe(1);
    // None of their time lies in the first third of the window, half of it in the second.
    expect(shareAt(shares, 1 / 3)).toBeLessThan(0.01);
    expect(shareAt(shares, 2 / 3)).toBeCloseTo(0.5, 1);
    expect(messageShares([{ id: 'cnv_old', created_at: 1, updated_at: since - 1 }], since, end)).toBeNull();
  });

  it('one events page decides the listing when the listing is counted and the stream is clearly denser, and a whole-window watch judges from its first page', () => {
    // 20 conversations, every message to fetch: 21 listing requests; 15 events over 3% of the messages: 33 pages.
    const whole = estimateCosts({ items: 15, span: 0.03 }, { items: 20, span: 1 }, 1, { messageShares: null });
    expect(judge({ items: 15, span: 0.03 }, whole).eventsDearer).toBe(true);
    // The same page against an extrapolated listing waits for more evidence.
    const extrapolated = estimateCosts({ items: 15, span: 0.03 }, { items: 20, span: 1 }, 1);
    expect(judge({ items: 15, span: 0.03 }, extrapolated).eventsDearer).toBe(false);

    const cheap = estimateCosts({ items: 15, span: 0.1 }, { items: 20, span: 1 }, 1, { messageShares: null });
    const watch = new StrategyWatch(cheap, 15, 0);
    expect(watch.eventsPage(15, 0.1)).toBeNull();
    // The stream turns dense: the rate read so far (45 events over 12%) passes the listing's within two pages.
    expect(watch.eventsPage(15, 0.11)).toBeNull();
    expect(watch.eventsPage(15, 0.12)).toMatchObject({ from: 'events', to: 'listing', reason: expect.stringMatching(/rate read so far/) });
  });
});
