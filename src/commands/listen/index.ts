// `front-import listen`: receive Front webhooks, queue them durably, import the conversations they
// name in the background through the same pipeline as sync, until SIGINT/SIGTERM. Stopping is not
// an error here: the queue keeps whatever was not processed and the next start resumes it.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CommandContext } from '../../context/index.js';
import { count } from '../../terminal/plural.js';
import { RunSession } from '../../runs/session.js';
import { ExitCode } from '../../errors.js';
import { createFrontApi } from '../../front/api.js';
import { batchLine } from '../../listen/batch-line.js';
import { createWebhookHandler } from '../../listen/handler.js';
import { startHttpServer } from '../../listen/http-server.js';
import { startQueueWorker, type QueueWorker } from '../../listen/queue-worker.js';
import { INSECURE_WARNING, resolveListenSettings, startupLine, weakSecretWarnings, type ListenFlags } from '../../listen/settings.js';
import { prometheusText, readMetrics } from '../../monitoring/metrics.js';
import { syncCursors } from '../../runs/sync-cursors.js';
import { checkAllScopeNames, checkDestinationFirst, withListsOnce } from '../../runs/preflight.js';
import { importConversations, importSettingsFrom, statusNames } from '../../pipeline/index.js';
import { abortableSleep, untilAborted } from '../../shared/sleep.js';
import { teamNames } from '../../front/teams.js';
import { redactFullEvent } from '../../redact/apply.js';
import { saveRateLimit } from '../../store/rate-limit-snapshot.js';
import { planFromStore } from '../../listen/coalesce.js';
import { BatchHealth } from '../../listen/health.js';
import { errorMessage } from '../../shared/error-message.js';

export type ListenOptions = ListenFlags;

/** How long shutdown waits for the batch in progress before closing the store anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

export async function runListen(opts: ListenOptions, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  const settings = resolveListenSettings(opts, config.listen);
  if (settings.auth.insecure) io.warn(INSECURE_WARNING);
  for (const line of weakSecretWarnings(config.listen)) io.warn(line);
  for (const s of config.subscriptions) await checkDestinationFirst(s.destination, io);
  const client = await ctx.frontClient();
  const api = createFrontApi(client);
  const subscriptions = await checkAllScopeNames(config.subscriptions, withListsOnce(api));
  const session = await RunSession.open(ctx, { command: 'listen', args: {} });
  const { store } = session;
  // As a run does before it writes: another company's state is refused untouched, and an older
  // state's deliveries go to their destination before the listener queues anything for it. The
  // listener is no run: it takes no import lock and is not in the runs table.
  const targets = await (async () => {
    await session.begin({ subscriptions, record: false, whoami: () => api.me() });
    return session.openTargets(subscriptions);
  })().catch(async (err: unknown) => {
    await session.end();
    throw err;
  });
  // The team directory, like the ticket status names, is read once for the life of the listener.
  const importSettings = importSettingsFrom(subscriptions, config.highlights, teamNames(withListsOnce(api), (line) => io.warn(line)));
  try {
    // Bound before the worker starts, so a port in use fails the command with nothing running.
    let worker: QueueWorker | null = null;
    const health = new BatchHealth();
    // The sync cursors the metrics report: one list for the listener's life, not one per scrape.
    const cursors = syncCursors(ctx.config.subscriptions);
    const handler = createWebhookHandler({
      path: settings.path,
      auth: settings.auth,
      // A rule webhook's full event data is redacted before it is queued (highlights.redact).
      queue: {
        enqueueWebhookEvent: (event) => store.enqueueWebhookEvent(redactFullEvent(event, importSettings.redactor, config.highlights.maxTextLength)),
        recordWebhookRejected: (reason) => store.recordWebhookRejected(reason),
        listenerStats: () => store.listenerStats(),
      },
      clock: ctx.clock,
      onQueued: () => worker?.wake(),
      accepting: () => !ctx.signal.aborted,
      warn: (line) => io.warn(line),
      debug: (line) => io.debug(line),
      health: () => health.report(),
      metrics: async () => prometheusText(await readMetrics(store, ctx.clock(), cursors)),
    });
    const server = await startHttpServer(handler, settings.host, settings.port);
    io.info(startupLine(settings, server.port));
    const backlog = (await store.listenerStats()).queued;
    if (backlog > 0) io.info(`listen: resuming ${count(backlog, 'queued webhook event')}`);
    // Ticket status names, read once for the life of the listener rather than once per batch.
    const statusName = statusNames(api, (line) => io.warn(line));
    worker = startQueueWorker({
      store,
      // Host and pid say which replica holds a claim; the random part keeps two containers apart
      // that share both (pid 1 under one host name).
      owner: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
      signal: ctx.signal,
      sleep: abortableSleep,
      random: Math.random,
      process: async (events) => {
        try {
          const frontTime = (localMs: number) => client.frontClock.frontTime(localMs);
          const plan = await planFromStore(events, store, (frontTime(ctx.clock()) ?? ctx.clock()) / 1000);
          if (plan.covered.length > 0) io.debug(`listen: ${plan.covered.length} conversation(s) already stored newer than their events: no request`);
          for (const id of plan.untrusted) io.warn(`listen: ${id}: a webhook body's updated_at is not a time Front's clock has reached (or not in seconds): the conversation is read again`);
          const counts = await importConversations({ fetch: plan.fetch, given: plan.given }, {
            api,
            store,
            targets,
            settings: importSettings,
            signal: ctx.signal,
            warn: (line) => io.warn(line),
            clock: ctx.clock,
            frontTime,
          }, statusName);
          health.succeeded();
          return counts;
        } catch (err) {
          if (!ctx.signal.aborted) health.failed(errorMessage(err), ctx.clock());
          throw err;
        } finally {
          await saveRateLimit(store, client.rateLimit());
        }
      },
      onBatch: (report) => io.info(batchLine(report)),
      warn: (line) => io.warn(line),
      debug: (line) => io.debug(line),
    });

    await untilAborted(ctx.signal);
    await server.close();
    if (!(await worker.drain(DRAIN_TIMEOUT_MS))) io.warn(`listen: the batch in progress did not finish within ${DRAIN_TIMEOUT_MS / 1000} s; it stays queued`);
    io.info(`listen: stopped; ${count((await store.listenerStats()).queued, 'event')} left in the queue for the next start`);
    return ExitCode.ok;
  } finally {
    await session.end();
  }
}

