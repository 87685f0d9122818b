// The figures a monitor watches, read from the state file, in the Prometheus text exposition format
// (https://prometheus.io/docs/instrumenting/exposition_formats/). `listen` serves them on /metrics
// and `status --prometheus FILE` writes them for node_exporter's textfile collector, so both show
// the same names and meanings.

import type { Store } from '../store/roles.js';
import { loadRateLimit } from '../store/rate-limit-snapshot.js';

export interface MetricsSnapshot {
  /** Highlights the destination accepted at their latest version. */
  delivered: number;
  /** Highlights the destination refused (marked failed). */
  refused: number;
  /** Highlights stored but not yet delivered. */
  pending: number;
  /** Webhook events received and not yet processed. */
  queueDepth: number;
  /** Seconds since the last successful sync ended, or null before the first. */
  syncLagSeconds: number | null;
  /** Seconds between now and the oldest sync cursor of the subscriptions, or null without one. */
  cursorAgeSeconds: number | null;
  /** Front's x-ratelimit-remaining / -limit as last seen, or null. */
  rateLimitRemaining: number | null;
  rateLimitLimit: number | null;
  webhooksReceived: number;
  webhooksRejected: number;
}

/** `cursorNames`: the subscriptions' sync cursors (keys.ts syncCursorFor). */
export async function readMetrics(store: Store, now: number, cursorNames: readonly string[]): Promise<MetricsSnapshot> {
  const totals = await store.totals();
  const listener = await store.listenerStats();
  const lastSync = await store.lastSuccessfulRun('sync');
  const cursors = (await Promise.all(cursorNames.map((name) => store.getCursor(name)))).filter((c) => c !== undefined);
  const cursor = cursors.length > 0 ? { value: Math.min(...cursors.map((c) => c.value)) } : undefined;
  const rate = await loadRateLimit(store);
  const lastSyncAt = lastSync ? Date.parse(lastSync.endedAt ?? lastSync.startedAt) : null;
  return {
    delivered: totals.delivered,
    refused: totals.failed,
    pending: totals.pending,
    queueDepth: listener.queued,
    syncLagSeconds: lastSyncAt === null ? null : Math.max(0, (now - lastSyncAt) / 1000),
    cursorAgeSeconds: cursor ? Math.max(0, now / 1000 - cursor.value) : null,
    rateLimitRemaining: rate?.remaining ?? null,
    rateLimitLimit: rate?.limit ?? null,
    webhooksReceived: listener.received,
    webhooksRejected: listener.rejected,
  };
}

interface MetricSpec {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  value: (m: MetricsSnapshot) => number | null;
}

const METRICS: MetricSpec[] = [
  { name: 'front_import_highlights_delivered', type: 'gauge', help: 'Highlights the destination accepted at their latest version.', value: (m) => m.delivered },
  { name: 'front_import_highlights_refused', type: 'gauge', help: 'Highlights the destination refused (see front-import status).', value: (m) => m.refused },
  { name: 'front_import_highlights_pending', type: 'gauge', help: 'Highlights stored and not yet delivered.', value: (m) => m.pending },
  { name: 'front_import_webhook_queue_depth', type: 'gauge', help: 'Webhook events received and not yet processed.', value: (m) => m.queueDepth },
  { name: 'front_import_webhooks_received_total', type: 'counter', help: 'Webhook events accepted by listen.', value: (m) => m.webhooksReceived },
  { name: 'front_import_webhooks_rejected_total', type: 'counter', help: 'Webhook requests refused by listen (bad signature, stale, malformed).', value: (m) => m.webhooksRejected },
  { name: 'front_import_sync_lag_seconds', type: 'gauge', help: 'Seconds since the last successful sync ended (absent before the first).', value: (m) => m.syncLagSeconds },
  { name: 'front_import_cursor_age_seconds', type: 'gauge', help: 'Seconds between now and the sync cursor (absent without one).', value: (m) => m.cursorAgeSeconds },
  { name: 'front_import_front_rate_limit_remaining', type: 'gauge', help: "Front's x-ratelimit-remaining as last seen.", value: (m) => m.rateLimitRemaining },
  { name: 'front_import_front_rate_limit', type: 'gauge', help: "Front's x-ratelimit-limit as last seen.", value: (m) => m.rateLimitLimit },
];

/** The exposition text; a metric with no value yet is left out rather than reported as 0. */
export function prometheusText(m: MetricsSnapshot): string {
  const lines: string[] = [];
  for (const spec of METRICS) {
    const value = spec.value(m);
    if (value === null) continue;
    lines.push(`# HELP ${spec.name} ${spec.help}`, `# TYPE ${spec.name} ${spec.type}`, `${spec.name} ${formatValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
