// Human summaries: one line per run, the same shape for a terminal and a cron log.

import { count } from '../terminal/plural.js';
import type { ClientStats } from '../front/client.js';
import type { ImportResult, TargetOutcome } from '../pipeline/index.js';
import { itemAt } from '../shared/item-at.js';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${ms < 10_000 ? (ms / 1000).toFixed(1) : s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatSummaryLine(command: string, result: ImportResult, stats: ClientStats, elapsedMs: number, delivery: string): string {
  const c = result.counts;
  const limited = stats.rateLimited > 0 ? `, ${stats.rateLimited} rate-limited` : '';
  return (
    `${command}: ${count(c.seen, 'conversation')} seen, ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ` +
    `${c.skipped} skipped${skippedReasons(c)}, ${c.failed} failed; ${delivery}; ${count(stats.requests, 'Front request')}${limited}; ` +
    `${result.strategy}${result.resumed ? ', resumed' : ''}; ${formatDuration(elapsedMs)}`
  );
}

const SKIP_REASONS = {
  outOfScope: 'out of scope (spam, trash, or outside every subscription\'s scope)',
  noAccess: 'the token may not read them',
  unreadable: 'Front would not serve their messages',
} as const;

/** Skipped conversations by reason, for `--json`. */
export function skippedBy(c: ImportResult['counts']): Record<keyof typeof SKIP_REASONS, number> {
  return { outOfScope: c.skippedOutOfScope, noAccess: c.skippedNoAccess, unreadable: c.skippedUnreadable };
}

/** ": out of scope (…)" for one reason, " (12 out of scope (…), 3 …)" for several; nothing when none were skipped. */
function skippedReasons(c: ImportResult['counts']): string {
  const reasons = Object.entries(skippedBy(c)).filter(([, n]) => n > 0) as [keyof typeof SKIP_REASONS, number][];
  if (reasons.length === 0) return '';
  if (reasons.length === 1) return `: ${SKIP_REASONS[itemAt(reasons, 0)[0]]}`;
  return ` (${reasons.map(([reason, n]) => `${n} ${SKIP_REASONS[reason]}`).join(', ')})`;
}

/** The request cost per Highlight written, for --verbose: what `npm run bench` measures. */
export function formatCostLine(result: ImportResult, stats: ClientStats): string | null {
  const changed = result.counts.created + result.counts.updated;
  return changed > 0 ? `cost: ${(stats.requests / changed).toFixed(2)} Front requests per new or updated Highlight` : null;
}

/** "12 delivered to X, 2 refused, 3 pending", per subscription when there are several. */
export function deliverySummary(outcomes: readonly TargetOutcome[]): string {
  if (outcomes.length === 0) return '0 delivered';
  return outcomes
    .map((o) => {
      const where = outcomes.length > 1 ? `${o.name} (${o.key})` : o.key;
      const refused = o.refused > 0 ? `, ${o.refused} refused` : '';
      const pending = o.pending > 0 ? `, ${o.pending} pending` : '';
      return `${o.delivered} delivered to ${where}${refused}${pending}`;
    })
    .join('; ');
}
