// The one info line per processed batch (suppressed by --quiet).

import { count } from '../terminal/plural.js';
import type { ConversationCounts } from '../pipeline/import-conversations.js';
import type { BatchReport } from './queue-worker.js';

export function batchLine(report: BatchReport<ConversationCounts>): string {
  const r = report.result;
  const detail = r
    ? `: ${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged${r.skipped ? `, ${r.skipped} skipped` : ''}${r.failed ? `, ${r.failed} failed` : ''}${r.gone ? `, ${r.gone} gone` : ''}; ${r.delivered} delivered`
    : '';
  return `listen: ${count(report.events, 'event')}, ${count(report.conversations, 'conversation')}${detail} (${report.stillQueued} queued)`;
}
