// `status`, per subscription: where it delivers, how far its sync got (lag), what waits, what was
// refused (with the receiver's message) and when it last delivered. Destinations the state holds
// deliveries for that no configured subscription names (an earlier --to) are listed after them, each
// with the command that forgets it.

import type { IOStreams } from '../../terminal/io.js';
import { count } from '../../terminal/plural.js';
import type { Subscription } from '../../config/types.js';
import { destinationKey, droppedFromIdentity } from '../../config/destination-key.js';
import { maskUrl } from '../../shared/secret-params.js';
import type { Checkpoints, Deliveries } from '../../store/roles.js';
import { syncCursorFor } from '../../store/keys.js';
import type { DestinationTotals } from '../../store/types.js';
import { formatDuration } from '../summary.js';

export interface SubscriptionReport {
  /** null for a destination no configured subscription names. */
  name: string | null;
  destination: string;
  /** Query parameters of the destination URL left out of its identity (secret names, never stored). */
  droppedFromIdentity: string[];
  cursor: string | null;
  /** When the cursor was last moved. */
  cursorSavedAt: string | null;
  lagMs: number | null;
  delivered: number;
  pending: number;
  refused: number;
  refusals: DestinationTotals['refusals'];
  lastDeliveryAt: string | null;
}

export async function subscriptionReports(
  store: Pick<Deliveries, 'outbox' | 'destinations'> & Pick<Checkpoints, 'getCursor'>,
  subscriptions: readonly Subscription[],
  now: number,
  listOthers: boolean,
): Promise<SubscriptionReport[]> {
  const named = subscriptions.map((s) => ({ name: s.name as string | null, key: destinationKey(s.destination), dropped: droppedFromIdentity(s.destination) }));
  const others = listOthers
    ? (await store.destinations()).filter((key) => !named.some((n) => n.key === key)).map((key) => ({ name: null, key, dropped: [] }))
    : [];
  // One after the other: each query takes a millisecond on the connection the store has open, where
  // asking in parallel makes a PostgreSQL pool open another (a server process and an authentication).
  const reports: SubscriptionReport[] = [];
  for (const { name, key, dropped } of [...named, ...others]) {
    const totals = await store.outbox(key).totals();
    const cursor = await store.getCursor(syncCursorFor(key));
    reports.push({
      name,
      // A state written before the exact list of secret parameter names may hold one in a stray's identity.
      destination: maskUrl(key),
      droppedFromIdentity: dropped,
      cursor: cursor ? new Date(cursor.value * 1000).toISOString() : null,
      cursorSavedAt: cursor?.updatedAt ?? null,
      lagMs: cursor ? now - cursor.value * 1000 : null,
      delivered: totals.delivered,
      pending: totals.pending,
      refused: totals.refused,
      refusals: totals.refusals,
      lastDeliveryAt: totals.lastDeliveryAt,
    });
  }
  return reports;
}

export function printSubscriptions(io: IOStreams, reports: readonly SubscriptionReport[]): void {
  const b = io.chalk.bold;
  for (const r of reports) {
    io.info(`${b('subscription')} ${r.name ?? '(not in config)'} -> ${r.destination}`);
    if (r.droppedFromIdentity.length > 0) io.info(`  identity leaves out the secret parameter(s) ${r.droppedFromIdentity.join(', ')} (never stored or printed)`);
    const lag = r.lagMs === null ? 'no sync yet' : `synced to ${r.cursor} (${formatDuration(r.lagMs)} behind)`;
    io.info(`  ${lag}; ${r.delivered} delivered, ${r.pending} pending, ${r.refused} refused; last delivery ${r.lastDeliveryAt ?? 'never'}`);
    for (const f of r.refusals) io.info(`  refused ${f.id}@${f.version.slice(0, 12)} after ${count(f.attempts, 'attempt')}: ${f.error}`);
    if (r.refused > 0 && r.name) io.info(`  resend them with: front-import retry-refused --subscription ${r.name}`);
    if (!r.name) io.info(`  no configured subscription delivers here (an earlier --to?); forget it with: front-import destinations forget ${shellWord(r.destination)}`);
  }
}

/** Quoted for a shell when it holds anything but plain path and URL characters. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
