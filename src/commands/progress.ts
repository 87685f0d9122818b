// What a running backfill or sync shows: on a terminal a spinner redrawn on every page, elsewhere
// (cron, CI) a plain line at a bounded rate so a long job does not look hung, and nothing with
// --quiet or --json (IOStreams decides). The text says which phase is running, what was fetched so
// far and what was delivered; the ETA is shown only once the rate has been measured in this run.

import type { Progress } from '../terminal/io.js';
import { count } from '../terminal/plural.js';
import type { ClientStats } from '../front/client.js';
import type { ImportProgress } from '../pipeline/index.js';
import { formatDuration } from './summary.js';

/** A plain line at most this often... */
export const PLAIN_LINE_INTERVAL_MS = 10_000;
/** ...or after this many pages, whichever comes first, so fast runs still show they move. */
export const PLAIN_LINE_PAGES = 25;
/** An ETA needs this much of the window covered in this run, and this long, to be worth reading. */
const ETA_MIN_FRACTION = 0.05;
const ETA_MIN_MS = 3_000;

export interface ProgressSink {
  /** Spinner text (interactive terminals). */
  spinner: Progress;
  interactive: boolean;
  /** A plain progress line (ignored where IOStreams shows none). */
  line(text: string): void;
}

export function createProgressReporter(command: string, sink: ProgressSink, clock: () => number, stats: () => ClientStats) {
  const eta = new EtaEstimator(clock);
  let lastLineAt = clock();
  let lastLinePages = 0;
  return (p: ImportProgress): void => {
    const text = progressText(command, p, stats(), eta.estimate(p));
    if (sink.interactive) {
      sink.spinner.update(text);
      return;
    }
    const now = clock();
    if (now - lastLineAt >= PLAIN_LINE_INTERVAL_MS || p.counts.pages - lastLinePages >= PLAIN_LINE_PAGES) {
      lastLineAt = now;
      lastLinePages = p.counts.pages;
      sink.line(text);
    }
  };
}

const STAGE_TEXT = {
  messages: 'reading message events',
  conversations: 'listing conversations',
  leftovers: 'finishing kept messages',
} as const;

export function progressText(command: string, p: ImportProgress, stats: ClientStats, etaMs: number | null): string {
  const c = p.counts;
  const parts: string[] = [];
  if (p.phase === 'fetching') {
    parts.push(p.stage ? STAGE_TEXT[p.stage] : 'listing conversations');
    const fetched = [count(c.pages, 'page')];
    if (c.eventMessages > 0) fetched.push(count(c.eventMessages, 'message event'));
    if (c.messageFetches > 0) fetched.push(`${count(c.messageFetches, 'message')} fetched`);
    parts.push(fetched.join(', '));
    if (c.seen > 0) parts.push(`${count(c.seen, 'conversation')} (${c.created} new, ${c.updated} updated)`);
  } else {
    parts.push(p.phase);
  }
  if (c.delivered > 0 || p.phase !== 'fetching') parts.push(`${c.delivered} delivered`);
  const rate = stats.elapsedMs > 0 ? (stats.requests / stats.elapsedMs) * 60_000 : 0;
  parts.push(`${count(stats.requests, 'request')} (${rate.toFixed(0)}/min)`);
  if (etaMs !== null) parts.push(`ETA ${formatDuration(etaMs)}`);
  return `${command}: ${parts.join(' · ')}`;
}

/**
 * Time left at the rate measured in this run: from the first fraction this run saw (a resumed run
 * starts part-way) to the latest. None until enough was measured, and none outside fetching.
 */
export class EtaEstimator {
  private start: { at: number; fraction: number } | null = null;
  constructor(private readonly clock: () => number) {}

  estimate(p: ImportProgress): number | null {
    if (p.phase !== 'fetching') return null;
    const now = this.clock();
    this.start ??= { at: now, fraction: p.fraction };
    const covered = p.fraction - this.start.fraction;
    const took = now - this.start.at;
    if (covered < ETA_MIN_FRACTION || took < ETA_MIN_MS || p.fraction >= 1) return null;
    return ((1 - p.fraction) * took) / covered;
  }
}
