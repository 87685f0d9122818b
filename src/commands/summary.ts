// Human summaries: one line per run, the same shape for a terminal and a cron log.

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
  const changed = c.created + c.updated;
  const perHighlight = changed > 0 ? ` (${(stats.requests / changed).toFixed(2)} per new version)` : '';
  const delivery = dryRun
    ? 'dry run: nothing written or delivered'
    : `${c.delivered} delivered to ${destination}${result.pending > 0 ? `, ${result.pending} pending` : ''}`;
  const limited = stats.rateLimited > 0 ? `, ${stats.rateLimited} rate-limited` : '';
  return (
    `${command}: ${c.seen} conversations seen, ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ` +
    `${c.skipped} skipped, ${c.failed} failed; ${delivery}; ${stats.requests} Front requests${perHighlight}${limited}; ` +
    `${result.strategy}${result.resumed ? ', resumed' : ''}; ${formatDuration(elapsedMs)}`
  );
}
