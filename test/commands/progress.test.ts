// The progress a backfill or sync shows, with an injected clock: the phase and what was fetched,
// an ETA only once this run measured its pace, and plain lines at a bounded rate when not on a terminal.

import { describe, expect, it } from 'vitest';
import { createProgressReporter, EtaEstimator, PLAIN_LINE_INTERVAL_MS, PLAIN_LINE_PAGES, progressText } from '../../src/commands/progress.ts';
import type { ClientStats } from '../../src/front/client.ts';
import type { ImportCounts, ImportProgress } from '../../src/pipeline/index.ts';

const counts = (over: Partial<ImportCounts> = {}): ImportCounts => ({
  seen: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, skippedOutOfScope: 0, skippedNoAccess: 0, skippedUnreadable: 0, failed: 0, delivered: 0, refused: 0, messageFetches: 0, eventMessages: 0, pages: 0, ...over,
});
const stats = (requests: number, elapsedMs = 60_000) => ({ requests, elapsedMs }) as ClientStats;
const fetching = (fraction: number, over: Partial<ImportCounts> = {}): ImportProgress => ({ phase: 'fetching', stage: 'messages', fraction, counts: counts(over) });

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('progressText', () => {
  it('while reading the event stream shows pages and message events, not "0 conversations"', () => {
    const text = progressText('backfill', fetching(0.3, { pages: 12, eventMessages: 170 }), stats(13), null);
    expect(text).toBe('backfill: reading message events · 12 pages, 170 message events · 13 requests (13/min)');
  });

  it('then conversations, messages fetched, deliveries as they happen, and the ETA when there is one', () => {
    const p: ImportProgress = { phase: 'fetching', stage: 'conversations', fraction: 0.8, counts: counts({ pages: 40, eventMessages: 500, messageFetches: 1, seen: 120, created: 100, updated: 5, delivered: 50 }) };
    expect(progressText('sync', p, stats(41), 12_000)).toBe(
      'sync: listing conversations · 40 pages, 500 message events, 1 message fetched · 120 conversations (100 new, 5 updated) · 50 delivered · 41 requests (41/min) · ETA 12s',
    );
    const delivering: ImportProgress = { phase: 'delivering', fraction: 1, counts: counts({ pages: 1, delivered: 1 }) };
    expect(progressText('sync', delivering, stats(1), null)).toBe('sync: delivering · 1 delivered · 1 request (1/min)');
  });
});

describe('EtaEstimator', () => {
  it('none until 5% of the window and 3 s were measured in this run; then the time left at this run\'s pace', () => {
    const c = clock();
    const eta = new EtaEstimator(c.now);
    // A resumed run starts part-way: its first fraction is the baseline, not zero.
    expect(eta.estimate(fetching(0.5))).toBeNull();
    c.advance(10_000);
    expect(eta.estimate(fetching(0.52))).toBeNull();
    c.advance(10_000);
    expect(eta.estimate(fetching(0.6))).toBeCloseTo(80_000, 6);
    expect(eta.estimate({ phase: 'delivering', fraction: 1, counts: counts() })).toBeNull();
  });
});

describe('createProgressReporter', () => {
  it('not on a terminal: a line every 10 s or every 25 pages, whichever first; nothing in between', () => {
    const c = clock();
    const lines: string[] = [];
    const spinner: string[] = [];
    const report = createProgressReporter('backfill', { interactive: false, spinner: { update: (t) => spinner.push(t), stop: () => undefined }, line: (t) => lines.push(t) }, c.now, () => stats(1));
    for (let page = 1; page <= 10; page++) {
      c.advance(PLAIN_LINE_INTERVAL_MS / 4);
      report(fetching(page / 100, { pages: page }));
    }
    expect(lines.map((l) => /· (\d+) pages/.exec(l)![1])).toEqual(['4', '8']);
    for (let page = 11; page <= 11 + PLAIN_LINE_PAGES; page++) report(fetching(page / 100, { pages: page }));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`${8 + PLAIN_LINE_PAGES} pages`);
    expect(spinner).toEqual([]);
  });

  it('on a terminal: the spinner is redrawn on every report and no plain line is written', () => {
    const c = clock();
    const lines: string[] = [];
    const spinner: string[] = [];
    const report = createProgressReporter('sync', { interactive: true, spinner: { update: (t) => spinner.push(t), stop: () => undefined }, line: (t) => lines.push(t) }, c.now, () => stats(2));
    report(fetching(0.1, { pages: 1 }));
    report(fetching(0.2, { pages: 2 }));
    expect(spinner).toHaveLength(2);
    expect(lines).toEqual([]);
  });
});
