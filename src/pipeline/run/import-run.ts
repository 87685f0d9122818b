// One import run, shared by backfill and sync: fetch pages -> map -> persist each page together with
// its checkpoint (one transaction) -> deliver the outbox -> move the cursor only when the whole run
// succeeded. A crash at any point leaves either the previous checkpoint or this page's; the next run
// resumes from there and re-sends nothing that was accepted.

import { stopIfAborted } from '../deliver/deliver.js';
import { addOutcomes, type TargetOutcome } from '../deliver/deliver-all.js';
import { probeDensity } from '../fetch/density-probe.js';
import { messageShares } from '../fetch/message-shares.js';
import { openFetch } from '../fetch/strategy-choice.js';
import { StrategyWatch } from '../fetch/strategy-cost.js';
import { allTextCandidateKeys } from '../fetch/text-candidates.js';
import { statusNames } from '../prepare/status-names.js';
import { PageWriter } from './page-writer.js';
import { preparePage } from './page-prepare.js';
import { deliverInRun, pendingNow } from './run-delivery.js';
import { fetchShareOf, lanesFor, observe, stageOf, streamsFor, switchedPosition } from './run-plan.js';
import { RunTally } from './run-tally.js';
import type { Checkpoint, ImportDeps, ImportProgress, ImportRequest, ImportResult } from './types.js';

export async function runImport(req: ImportRequest, deps: ImportDeps): Promise<ImportResult> {
  const { store, signal } = deps;
  const tally = new RunTally();
  const { counts } = tally;
  let deliveries: TargetOutcome[] = [];
  const deliver = async (phase: ImportProgress['phase']): Promise<unknown> => {
    const report = await deliverInRun(phase, deps, tally);
    deliveries = addOutcomes(deliveries, report.targets);
    return report.error;
  };

  // The backlog first, so a destination that came back receives items in their original order.
  let deliveryError = await deliver('delivering backlog');

  if (deps.poisoned) await deps.poisoned.retry({ api: deps.api, store, settings: deps.settings, warn: deps.warn, clock: deps.clock, frontTime: deps.frontTime });

  const saved = await store.getCheckpoint<Checkpoint>(req.checkpointKey);
  const resumed = Boolean(saved && !saved.complete);
  // Messages kept by an earlier run under this key belong to a fetch that is not being resumed.
  const clearStaged = () => Promise.all([req.checkpointKey, ...allTextCandidateKeys(req.checkpointKey)].map((key) => store.clearEventMessages(key)));
  if (!saved) await clearStaged();
  let cp: Checkpoint = saved ?? {
    strategy: 'events',
    window: req.window,
    fetchStartedAt: req.startedAt,
    lanes: await lanesFor(deps.api, deps.settings, deps.warn),
    position: null,
    complete: false,
    plan: null,
  };
  // Ticket status names are read once per run, when the first conversation needs one.
  const statusName = statusNames(deps.api, deps.warn);
  let strategyReason = '';

  if (!cp.complete) {
    const streams = streamsFor(req, deps, cp);
    const opening = await openFetch(
      { mode: req.strategy ?? 'auto', limit: req.limit, bounded: cp.window.until !== null, resume: resumed ? { strategy: cp.strategy, position: cp.position, plan: cp.plan ?? null } : null },
      {
        ...streams,
        fetchShare: (updates) => fetchShareOf(store, updates),
        messageShares: (updates) => messageShares(updates.map((u) => u.conversation), cp.window.since, cp.window.until ?? req.startedAt),
        density: () => probeDensity(deps.api, cp.lanes, cp.window, cp.window.until ?? req.startedAt),
      },
    );
    // Without events access a resumed events checkpoint starts over on the listing.
    if (opening.strategy !== cp.strategy && resumed) cp = { ...cp, position: null };
    cp = { ...cp, strategy: opening.strategy, plan: opening.plan };
    strategyReason = opening.reason;
    if (opening.strategy === 'listing' && cp.window.until !== null && !resumed) {
      deps.warn('--until with the listing strategy: a conversation active inside the window and again since is listed at its latest activity, after the window, and is left out (only the event stream dates activity; its token needs events:*:read)');
    }
    deps.debug(`strategy ${opening.strategy}: ${opening.reason}`);
    let pages = opening.pages;
    // Watched only while the choice was made by cost and has not switched yet.
    let watching =
      opening.plan.mode === 'auto' && opening.plan.estimate && opening.plan.switches.length === 0
        ? new StrategyWatch(opening.plan.estimate, opening.plan.sampleEvents, resumed ? null : 0)
        : null;
    // A new fetch starts on Front's clock: the cursor derived from it must not run ahead of the
    // event times Front stamps, whatever this machine's clock says.
    const frontStart = saved ? null : deps.frontTime?.(req.startedAt * 1000);
    if (frontStart != null) cp = { ...cp, fetchStartedAt: frontStart / 1000 };
    const writer = new PageWriter({
      store,
      runKey: req.checkpointKey,
      textFrom: deps.settings.textFrom,
      clock: deps.clock,
      onUpsert: (id, outcome) => tally.stored(id, outcome),
      ...(deps.settings.stageMessage ? { stageMessage: deps.settings.stageMessage } : {}),
    });
    let limitReached = false;
    const unreadable: { id: string; error: string }[] = [];
    try {
      for (let step = await pages.next(); !step.done; step = await pages.next()) {
        const page = step.value;
        if (page.updates.length > 0) await writer.flush();
        const fetchesBefore = counts.messageFetches;
        const events = cp.strategy === 'events' ? { since: cp.window.since, followsCursor: req.followsCursor === true } : null;
        const items = await preparePage(page, deps, tally, { runKey: req.checkpointKey, statusName, events, unreadable });
        cp = { ...cp, position: page.resume, complete: page.resume === null };
        await writer.add(page, items, cp);
        tally.page(page.messages.length);
        deps.progress({ phase: 'fetching', stage: stageOf(cp.strategy, page.resume), fraction: page.progress, counts });
        if (req.limit !== undefined && counts.seen >= req.limit) {
          limitReached = true;
          break;
        }
        stopIfAborted(signal);
        const change = watching && page.resume ? observe(watching, cp.strategy, page, counts.messageFetches - fetchesBefore) : null;
        if (change) {
          // One switch per run (so the plan is still the opening's): the strategy it leaves for stays the cheaper for the rest of the window.
          watching = null;
          await writer.flush();
          cp = { ...cp, strategy: change.to, position: switchedPosition(change.to), plan: { ...opening.plan, switches: [...opening.plan.switches, change] } };
          await store.setCheckpoint(req.checkpointKey, cp);
          await pages.return(undefined);
          pages = streams.resume(cp.strategy, cp.position)(cp.position);
          deps.debug(`strategy: switched from ${change.from} to ${change.to}: ${change.reason}`);
        }
      }
    } finally {
      // Pages fully read are kept whatever stopped the run: a resumed run does not fetch them again.
      await writer.flush();
      await deps.poisoned?.record(unreadable);
    }
    if (limitReached) await pages.return(undefined);
    if (!limitReached && !cp.complete) {
      cp = { ...cp, position: null, complete: true };
      await store.setCheckpoint(req.checkpointKey, cp);
    }
    if (cp.complete) await clearStaged();
  }

  if (deliveryError === null) deliveryError = await deliver('delivering');
  else deliveries = await pendingNow(store, deliveries);
  const switches = cp.plan?.switches ?? [];
  return {
    strategy: cp.strategy,
    strategyReason: strategyReason + switches.map((sw) => `; switched from ${sw.from} to ${sw.to}: ${sw.reason}`).join(''),
    plan: cp.plan ?? null,
    window: cp.window,
    fetchStartedAt: cp.fetchStartedAt,
    lanes: cp.lanes,
    resumed,
    complete: cp.complete,
    counts,
    pending: deliveries.reduce((sum, d) => sum + d.pending, 0),
    deliveries,
    deliveryError,
  };
}
