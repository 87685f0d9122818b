// Requests per Highlight of `backfill --since 7d` for the events strategy, the listing strategy and
// the automatic choice side by side, on workloads from email-like (2 messages per conversation) to
// chat-heavy (40), plus one whose density changes halfway; and what that means in hours for 50,000
// conversations on each plan. Same binary, same sandbox (no rate limit: requests are counted, not
// waited for).

import { startSandbox } from '../../dist/sandbox/index.js';
import { summaryOf, workdir } from './child.mjs';
import { fixed, int } from './table.mjs';

export const STRATEGY_WORKLOAD = { seed: 'bench-2024', conversations: 300, days: 7, inboxes: 4 };
export const DENSITIES = [2, 4, 12, 40];
const TURNING = [2, 40];
/** The automatic choice may cost this much more than the cheaper strategy on the workload. */
const AUTO_GOAL = 1.05;
const PLANS = { Starter: 50, Professional: 100, Enterprise: 200 };
/** front-import's default share of the company's rate limit (front.share). */
const SHARE = 0.8;
const PLANNED_CONVERSATIONS = 50_000;

async function costOf(sandbox, strategy, days = STRATEGY_WORKLOAD.days) {
  const work = workdir({ front: { url: sandbox.url, retryBaseMs: 50 }, env: { FRONT_API_TOKEN: sandbox.tokens.full, FRONT_IMPORT_NO_PACING: '1' } });
  try {
    sandbox.control.clearRequestLog();
    const summary = summaryOf(await work.run(['backfill', '--since', `${days}d`, '--json', '--strategy', strategy]), `backfill --strategy ${strategy}`);
    const requests = sandbox.control.requestLog().length;
    return { requests, highlights: summary.counts.created, perHighlight: requests / summary.counts.created, summary };
  } finally {
    work.remove();
  }
}

async function workload(messagesPerConversation, shape = STRATEGY_WORKLOAD) {
  const sandbox = await startSandbox({ ...shape, rateLimit: false, messagesPerConversation });
  try {
    const runs = {};
    for (const strategy of ['events', 'listing', 'auto']) runs[strategy] = await costOf(sandbox, strategy, shape.days);
    return runs;
  } finally {
    await sandbox.close();
  }
}

/** What the automatic run read and whether it switched. */
function ranOf(auto) {
  const switched = auto.summary.strategyChoice?.switches?.[0];
  return switched ? `${switched.from}, then ${switched.to} at ${Math.round(switched.atFraction * 100)}% of the stream` : auto.summary.strategy;
}

/** Small windows: the listing's first page shows them whole, and choosing must cost next to nothing. */
export const SMALL_WINDOWS = { sizes: [20, 90], days: 3, densities: [2, 12, 40] };

/**
 * Rows of section `section` for small windows (issue 22, "probes priced in"): the automatic choice
 * beside the cheaper strategy, where the requests spent choosing are a large share of the window.
 */
export async function smallWindowRows(section, notes) {
  const rows = [];
  for (const conversations of SMALL_WINDOWS.sizes) {
    for (const density of SMALL_WINDOWS.densities) {
      const shape = { seed: STRATEGY_WORKLOAD.seed, conversations, days: SMALL_WINDOWS.days, inboxes: STRATEGY_WORKLOAD.inboxes };
      const { events, listing, auto } = await workload(density, shape);
      const cheaper = Math.min(events.perHighlight, listing.perHighlight);
      const ratio = auto.perHighlight / cheaper;
      rows.push({
        section,
        figure: `small window: backfill --since ${SMALL_WINDOWS.days}d of ${conversations} conversations, ${label(density)} (${int(auto.highlights)} Highlights): requests per Highlight, events / listing / automatic (${ranOf(auto)})`,
        value: `${fixed(events.perHighlight, 3)} / ${fixed(listing.perHighlight, 3)} / ${fixed(auto.perHighlight, 3)} (${fixed(ratio, 3)}x the cheaper)`,
        goal: `automatic <= ${AUTO_GOAL}x the cheaper`,
        met: ratio <= AUTO_GOAL + 1e-9,
      });
      notes.push(`automatic, small window of ${conversations} conversations, ${label(density)}: ${auto.summary.strategyReason}`);
    }
  }
  return rows;
}

const label = (density) => (Array.isArray(density) ? `${density.join(' then ')} messages per conversation` : `${density} messages per conversation`);

/** Rows of section `section`; `notes` gets what each automatic run chose and why. */
export async function strategyRows(section, notes) {
  const rows = [];
  const automatic = [];
  for (const density of [...DENSITIES, TURNING]) {
    const { events, listing, auto } = await workload(density);
    const cheaper = Math.min(events.perHighlight, listing.perHighlight);
    const ratio = auto.perHighlight / cheaper;
    const ran = ranOf(auto);
    const turning = Array.isArray(density);
    rows.push({
      section,
      figure: `backfill --since 7d, ${label(density)} (${int(auto.highlights)} Highlights): requests per Highlight, events / listing / automatic (${ran})`,
      value: `${fixed(events.perHighlight, 3)} / ${fixed(listing.perHighlight, 3)} / ${fixed(auto.perHighlight, 3)} (${fixed(ratio, 3)}x the cheaper)`,
      goal: turning ? 'automatic < the cheaper' : `automatic <= ${AUTO_GOAL}x the cheaper`,
      met: turning ? auto.perHighlight < cheaper : ratio <= AUTO_GOAL,
    });
    notes.push(`automatic, ${label(density)}: ${auto.summary.strategyReason}`);
    if (!turning) automatic.push({ density, perHighlight: auto.perHighlight });
  }
  for (const [plan, rpm] of Object.entries(PLANS)) {
    const hours = automatic.map(({ density, perHighlight }) => `${density} msgs: ${fixed((PLANNED_CONVERSATIONS * perHighlight) / (rpm * SHARE) / 60, 1)} h`);
    rows.push({
      section,
      figure: `${plan} (${rpm} rpm, ${SHARE * 100}% share), ${int(PLANNED_CONVERSATIONS)} conversations: hours to backfill at the automatic strategy's requests per Highlight`,
      value: hours.join(' · '),
      goal: '',
      met: undefined,
    });
  }
  return rows;
}
