// What replay and retry-refused share: no Front request at all. Each picked subscription's outbox
// is refilled from the state (how: the command's `refill`, which may also send straight to the
// destination), then delivered like any run, under the import lock and recorded in the runs
// table. Exit 7 when a destination refused items again.

import type { CommandContext } from '../context/index.js';
import type { Subscription } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { deliverAll, withEarlier, type DeliveryReport, type DeliveryTarget, type TargetOutcome } from '../pipeline/index.js';
import { RunSession } from '../runs/session.js';
import { runExitCode, runHead } from '../shared/run-outcome.js';
import { describeLocation } from '../store/location.js';
import { stateExists } from '../store/open-store.js';
import type { Store } from '../store/roles.js';
import { deliverySummary } from './summary.js';
import { itemAt } from '../shared/item-at.js';

export interface RedeliverySpec {
  command: 'replay' | 'retry-refused';
  args: Record<string, unknown>;
  json: boolean;
  /**
   * Queues what the subscription should get again, or sends it at once (replay to a file); says how
   * many items, how many of them went already and the failure that stopped the sending, if any.
   */
  refill(store: Store, subscription: Subscription, target: DeliveryTarget): Promise<Refill>;
  /** "47 stored Highlights queued" and the like. */
  describe(queued: number): string;
}

export interface Refill {
  queued: number;
  sent: number;
  error: unknown;
}

export async function runRedelivery(spec: RedeliverySpec, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  if (!(await stateExists(config.store))) {
    throw new ConfigError(`no state at ${describeLocation(config.store)}: nothing stored to send (run backfill or sync first, or pass --state)`);
  }
  const session = await RunSession.open(ctx, { command: spec.command, args: spec.args });
  const { store } = session;
  let queued = 0;
  let report: DeliveryReport | null = null;
  let failure: unknown = null;
  try {
    await session.lock();
    // No /me: a redelivery makes no Front request at all.
    await session.begin({ subscriptions: config.subscriptions, record: true });
    const targets = await session.openTargets(config.subscriptions);
    // What went straight to a destination, per subscription, added to the delivery's report below.
    const sent: TargetOutcome[] = [];
    for (const [i, s] of config.subscriptions.entries()) {
      const target = itemAt(targets, i);
      const refill = await spec.refill(store, s, target);
      queued += refill.queued;
      sent.push({ name: target.name, key: target.key, delivered: refill.sent, refused: 0, pending: 0, error: refill.error });
    }
    report = withEarlier(sent, await deliverAll(store, targets, { command: spec.command, signal: ctx.signal, warn: (line) => io.warn(line) }));
    if (report.error) throw report.error;
  } catch (err) {
    failure = ctx.signal.aborted ? ctx.signal.reason : err;
  } finally {
    await session.end({
      failure,
      complete: true,
      exitCode: runExitCode(failure, report?.refused ?? 0),
      counts: { queued, delivered: report?.delivered ?? 0, refused: report?.refused ?? 0, pending: report?.pending ?? 0 },
      requests: { requests: 0 },
    });
  }
  const head = runHead(failure, true, report?.refused ?? 0);
  if (spec.json) {
    io.result({
      command: spec.command,
      ...head,
      queued,
      delivered: report?.delivered ?? 0,
      refused: report?.refused ?? 0,
      subscriptions: (report?.targets ?? []).map((t) => ({ name: t.name, destination: t.key, delivered: t.delivered, refused: t.refused, pending: t.pending })),
      frontRequests: 0,
    });
  } else if (report) {
    io.info(`${spec.command}: ${spec.describe(queued)}; ${deliverySummary(report.targets)}; 0 Front requests`);
  }
  if (failure) throw failure;
  return head.exitCode;
}
