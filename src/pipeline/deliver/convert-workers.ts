// `replay` to a file turns each stored conversation into the subscription's Highlight and its line:
// about three quarters of a replay's CPU. Done on the main thread it bounds a replay to one core; in
// a worker thread it runs beside the main thread's reading, writing and recording. Node's
// worker_threads is used as it is: a pool library would add a dependency for one queue.

import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { StoredRow } from '../../store/rows.js';
import { rulesOf, type ConversionRules, type WorkerAnswer } from './conversion-rules.js';
import type { SubscriptionRules } from '../prepare/subscription-highlight.js';
import { convertHere, type PageConverter, type PageLines } from './page-lines.js';

/**
 * The worker script: beside this module in both builds (dist/, ES modules, and dist/bundle/,
 * CommonJS files named .cjs: rolldown.config.mjs). Running from the sources (the tests) there is
 * none, and pages are converted on this thread.
 */
const SCRIPT = new URL(import.meta.url.endsWith('.cjs') ? './convert-worker.cjs' : './convert-worker.js', import.meta.url);

/**
 * One worker below the cores, at least one (on one core too: 100,000 conversations from SQLite in 5.7 s
 * instead of 6.6, the fsync waits overlapped), at most two. On 2 cores one worker was faster than two
 * (100,000 conversations to a file from SQLite: 3.9-4.3 s against 4.0-4.6), and faster than one
 * that the main thread helps with its pages while it waits (4.0-4.2 s against 4.9-5.6; from
 * PostgreSQL 5.5-6.4 against 6.6-7.0): the main thread has its own share of a replay (reading,
 * writing, recording), and a PostgreSQL server beside it takes its share of the cores too.
 */
function workerCount(cores = availableParallelism()): number {
  return Math.min(2, Math.max(1, cores - 1));
}

export interface WorkerConverterOptions {
  /** The rules built on this thread (rulesOf), for the pages converted here, when the caller has built them already. */
  rules?: SubscriptionRules;
  workers?: number;
  /** The worker script (tests pass the built one). */
  script?: URL;
  /** --verbose: when the workers start, and a worker that stops. */
  debug?: (line: string) => void;
}

/**
 * The worker's heap: a young generation of 24 MB (V8's default is 48) and an old one capped at 32 MB
 * (what it holds alive: its modules and a page, about 10 MB). With V8's defaults the worker's heap
 * grew to 46 MB, and a replay's peak RSS to 190-220 MB against the goal of 200; with these, 175 MB
 * at 100,000 conversations, in the same time. A worker that outgrows them stops, and its pages are
 * converted on the main thread.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 32 };

interface Running {
  worker: Worker;
  /** Pages posted to it and not yet answered, in the order posted (a worker answers in order). */
  pending: Array<{ rows: StoredRow[]; settle: (page: Promise<PageLines>) => void }>;
}

/**
 * Converts pages in worker threads, taking turns, each page's promise settling with its own lines.
 * The first page is converted here, and the workers start with the second: a replay of one page
 * does not pay their start (about 50 ms each). A page a worker cannot convert (a row that does not
 * decode) is converted here, which fails with the very error a replay on one thread gives; a worker
 * that stops (out of memory) leaves its pages, and every page after, to this thread.
 */
export function workerConverter(c: ConversionRules, options: WorkerConverterOptions = {}): PageConverter {
  const script = options.script ?? SCRIPT;
  const here = convertHere(options.rules ?? rulesOf(c));
  if (!existsSync(fileURLToPath(script))) return here;
  const count = options.workers ?? workerCount();
  let pool: Promise<Running[]> | null = null;
  let pages = 0;
  let stopped = false;

  const debug = options.debug ?? (() => undefined);
  // node:worker_threads is loaded when the workers start: this module is in the chunk every backfill,
  // sync and listen loads, which would pay about 4 ms for it at each start.
  const start = async (): Promise<Running[]> => {
    const { Worker } = await import('node:worker_threads');
    debug(`replay: converting pages in ${count} worker thread(s)`);
    return Array.from({ length: count }, () => {
      const running: Running = { worker: new Worker(script, { workerData: c, resourceLimits: WORKER_HEAP }), pending: [] };
      // Held open only while it owes an answer (the replay awaits it); idle, it never keeps the process alive.
      running.worker.unref();
      running.worker.on('message', (answer: WorkerAnswer) => {
        const job = running.pending.shift();
        if (running.pending.length === 0) running.worker.unref();
        job?.settle('page' in answer ? Promise.resolve(answer.page) : here.convert(job.rows));
      });
      const stop = (why: unknown) => {
        if (!stopped && pool) debug(`replay: a conversion worker stopped (${why instanceof Error ? why.message : `exit code ${String(why)}`}); the pages left are converted on the main thread`);
        stopped = true;
        for (const job of running.pending.splice(0)) job.settle(here.convert(job.rows));
      };
      running.worker.on('error', stop);
      running.worker.on('exit', stop);
      return running;
    });
  };

  return {
    ahead: count + 1,
    convert(rows) {
      const n = pages++;
      if (n === 0 || stopped) return here.convert(rows);
      pool ??= start();
      // Pages are posted in the order asked: each waits here for the same start, in turn.
      return pool.then((workers) => {
        if (stopped) return here.convert(rows);
        const running = workers[n % workers.length] as Running;
        return new Promise<PageLines>((resolve, reject) => {
          running.pending.push({ rows, settle: (page) => page.then(resolve, reject) });
          running.worker.ref();
          running.worker.postMessage(rows);
        });
      });
    },
    async close() {
      const workers = (await pool) ?? [];
      pool = null;
      // What they were still converting was for a replay that has ended (it failed): not converted here either.
      for (const running of workers) running.pending.length = 0;
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}
