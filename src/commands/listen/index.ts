// `front-import listen`: receive Front webhooks, queue them durably, import the conversations they
// name in the background through the same pipeline as sync, until SIGINT/SIGTERM. Stopping is not
// an error here: the queue keeps whatever was not processed and the next start resumes it.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { CommandContext } from '../../context/index.js';
import { count } from '../../terminal/plural.js';
import { openTargets } from '../delivery-targets.js';
import { claimLegacyState } from '../legacy-state.js';
import { bindCompany } from '../../pipeline/company-binding.js';
import { ExitCode } from '../../errors.js';
import { createFrontApi } from '../../front/api.js';
import { batchLine } from '../../listen/batch-line.js';
import { createWebhookHandler } from '../../listen/handler.js';
import { startHttpServer } from '../../listen/http-server.js';
import { startQueueWorker, type QueueWorker } from '../../listen/queue-worker.js';
import { INSECURE_WARNING, resolveListenSettings, startupLine, type ListenFlags } from '../../listen/settings.js';
import { prometheusText, readMetrics } from '../../monitoring/metrics.js';
import { syncCursors } from '../../store/keys.js';
import { checkAllScopeNames, checkDestinationFirst, withListsOnce } from '../preflight.js';
import { importConversations } from '../../pipeline/import-conversations.js';
import { abortableSleep, untilAborted } from '../../shared/sleep.js';
import { importSettingsFrom } from '../../pipeline/prepare.js';
import { saveRateLimit } from '../../store/rate-limit-snapshot.js';
import { statusNames } from '../../pipeline/status-names.js';
import { planFromStore } from '../../listen/coalesce.js';

export type ListenOptions = ListenFlags;

/** How long shutdown waits for the batch in progress before closing the store anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

export async function runListen(opts: ListenOptions, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  const settings = resolveListenSettings(opts, config.listen);
  if (settings.auth.insecure) io.warn(INSECURE_WARNING);
  for (const s of config.subscriptions) await checkDestinationFirst(s.destination, io);
  const client = await ctx.frontClient();
  const api = createFrontApi(client);
  const subscriptions = await checkAllScopeNames(config.subscriptions, withListsOnce(api));
  const store = await ctx.openStore();
  const destinations = await (async () => {
    // As a run does before it writes: another company's state is refused untouched, and an older
    // state's deliveries go to their destination before the listener queues anything for it.
    await bindCompany(store, await api.me(), config.front.url, store.location, () => new Date(ctx.clock()).toISOString());
    await claimLegacyState(store, subscriptions, (line) => io.info(line));
    return openTargets(ctx, subscriptions);
  })().catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  try {
    // Bound before the worker starts, so a port in use fails the command with nothing running.
    let worker: QueueWorker | null = null;
    const handler = createWebhookHandler({
      path: settings.path,
      auth: settings.auth,
      queue: store,
      clock: ctx.clock,
      onQueued: () => worker?.wake(),
      accepting: () => !ctx.signal.aborted,
      warn: (line) => io.warn(line),
      debug: (line) => io.debug(line),
      metrics: async () => prometheusText(await readMetrics(store, ctx.clock(), syncCursors(ctx.config.subscriptions))),
    });
    const server = await startHttpServer(handler, settings.host, settings.port);
    io.info(startupLine(settings, server.port));
    const backlog = (await store.listenerStats()).queued;
    if (backlog > 0) io.info(`listen: resuming ${count(backlog, 'queued webhook event')}`);
    const importSettings = importSettingsFrom(subscriptions, config.highlights);
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
          const plan = await planFromStore(events, store);
          if (plan.covered.length > 0) io.debug(`listen: ${plan.covered.length} conversation(s) already stored newer than their events: no request`);
          return await importConversations({ fetch: plan.fetch, given: plan.given }, {
            api,
            store,
            targets: destinations.targets,
            settings: importSettings,
            signal: ctx.signal,
            warn: (line) => io.warn(line),
          }, statusName);
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
    await store.close();
    await destinations.close();
  }
}
