// Human summaries: one line per run, the same shape for a terminal and a cron log.

import { count } from '../cli/plural.js';
import type { ClientStats } from '../front/client.js';
import type { ImportResult } from '../pipeline/import-run.js';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${ms < 10_000 ? (ms / 1000).toFixed(1) : s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatSummaryLine(
  command: string,
  dryRun: boolean,
  result: ImportResult,
  stats: ClientStats,
  elapsedMs: number,
  destination: string,
): string {
  const c = result.counts;
  const delivery = dryRun
    ? 'dry run: nothing written or delivered'
    : `${c.delivered} delivered to ${destination}${result.pending > 0 ? `, ${result.pending} pending` : ''}`;
  const limited = stats.rateLimited > 0 ? `, ${stats.rateLimited} rate-limited` : '';
  return (
    `${command}: ${count(c.seen, 'conversation')} seen, ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ` +
    `${c.skipped} skipped, ${c.failed} failed; ${delivery}; ${count(stats.requests, 'Front request')}${limited}; ` +
    `${result.strategy}${result.resumed ? ', resumed' : ''}; ${formatDuration(elapsedMs)}`
  );
}

/** The request cost per Highlight written, for --verbose: what `npm run bench` measures. */
export function formatCostLine(result: ImportResult, stats: ClientStats): string | null {
  const changed = result.counts.created + result.counts.updated;
  return changed > 0 ? `cost: ${(stats.requests / changed).toFixed(2)} Front requests per new or updated Highlight` : null;
}
