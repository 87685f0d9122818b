// A run's session: everything a command does around the pipeline, written once for backfill, sync,
// replay, retry-refused and listen. Open the store (in memory for a dry run), take the import lock,
// make the state this Front company's, record the run, claim a state written before per-destination
// delivery, open the destinations; at the end record how the run ended (its error scrubbed like
// terminal output), release the lock, close the store and the destinations, whatever failed.
//
// A dry run is a session over an empty in-memory store with no destinations: the pipeline runs
// unchanged and nothing reaches the state or a destination.

import type { CommandContext } from '../context/index.js';
import type { Subscription } from '../config/types.js';
import { errorKind, LockError } from '../errors.js';
import type { FrontIdentity } from '../front/types.js';
import { takeImportLock, type DeliveryTarget } from '../pipeline/index.js';
import { redactionFingerprint } from '../redact/fingerprint.js';
import { errorMessage } from '../shared/error-message.js';
import { runOutcome } from '../shared/run-outcome.js';
import type { Store } from '../store/roles.js';
import { saveRateLimit } from '../store/rate-limit-snapshot.js';
import type { RunResult } from '../store/types.js';
import { bindCompany } from './company-binding.js';
import { openTargets, type OpenTargets } from './delivery-targets.js';
import { claimLegacyState } from './legacy-state.js';
import { redactStateAtRest, stateRedactionLine } from './state-redaction.js';

export type SessionContext = Pick<CommandContext, 'config' | 'io' | 'clock' | 'openStore' | 'destination'>;

export interface SessionSpec {
  /** The command, as the runs table and another process finding the lock name it. */
  command: string;
  /** What the runs table records the run was asked. */
  args: Record<string, unknown>;
  /** An empty in-memory store, no destinations, nothing recorded (backfill --dry-run). */
  dryRun?: boolean;
}

export interface SessionStart {
  /** Whose delivery state a state from before per-destination delivery becomes (the first, or the implicit one). */
  subscriptions: readonly Subscription[];
  /** Recorded in the runs table (not by listen, which is no run). */
  record: boolean;
  /** Front's /me: the company the state must belong to. A failure is the run's, recorded like any other. */
  whoami?: () => Promise<FrontIdentity>;
}

/** How the run ended, for the runs table. */
export interface SessionEnd {
  failure: unknown;
  /** False when it stopped early on purpose (--limit), leaving work for the next run. */
  complete?: boolean;
  exitCode: number;
  counts: RunResult['counts'];
  requests: RunResult['requests'];
  /** Front's rate-limit headers as last seen, kept for `status`. */
  rateLimit?: Parameters<typeof saveRateLimit>[1];
}

export class RunSession {
  private runId: number | null = null;
  private locked = false;
  private destinations: OpenTargets | null = null;

  private constructor(
    private readonly ctx: SessionContext,
    private readonly spec: SessionSpec,
    readonly store: Store,
  ) {}

  static async open(ctx: SessionContext, spec: SessionSpec): Promise<RunSession> {
    return new RunSession(ctx, spec, spec.dryRun ? await openMemoryStore() : await ctx.openStore());
  }

  /** Where each subscription's Highlights go: none before openTargets, none in a dry run. */
  get targets(): readonly DeliveryTarget[] {
    return this.destinations?.targets ?? [];
  }

  /** One backfill, sync, replay or retry-refused at a time: LockError (exit 4) when another holds the lock. */
  async lock(): Promise<void> {
    this.locked = true;
    await takeImportLock(this.store, this.spec.command, (line) => this.ctx.io.warn(line));
  }

  /**
   * Before anything is written: a state of another company is refused untouched; the run is
   * recorded (a /me that failed, for the token or the network, is a failed run like any other);
   * a state from before per-destination delivery goes to its heir, so nothing is sent twice.
   */
  async begin(start: SessionStart): Promise<void> {
    if (this.spec.dryRun) return;
    const { store, ctx } = this;
    const me = start.whoami ? await start.whoami().then((identity) => ({ identity }), (err: unknown) => ({ err })) : null;
    if (me && 'identity' in me) await bindCompany(store, me.identity, ctx.config.front.url, store.location, () => new Date(ctx.clock()).toISOString());
    if (start.record) {
      // Under the import lock: a run still marked open was left by a process that died.
      await store.abandonOpenRuns();
      this.runId = await store.startRun(this.spec.command, this.spec.args);
    }
    if (me && 'err' in me) throw me.err;
    await claimLegacyState(store, start.subscriptions, (line) => ctx.io.info(line));
    // Under the import lock, before anything is fetched or sent: what the state holds from before
    // redaction was on (or changed) is redacted now, and each destination gets it again redacted.
    // The listener holds no import lock: it takes it for this alone, and leaves it to the run that
    // holds it otherwise (that run does the same).
    if (start.record) await this.redactState(start.subscriptions);
    else if (redactionFingerprint({ ...ctx.config.highlights.redact, pseudonymize: ctx.config.highlights.pseudonymize }) !== null) {
      await this.whileFree('import', () => this.redactState(start.subscriptions));
    }
  }

  private async redactState(subscriptions: readonly Subscription[]): Promise<void> {
    const { ctx } = this;
    const redaction = await redactStateAtRest(this.store, { highlights: ctx.config.highlights, subscriptions }, { clock: ctx.clock });
    if (redaction?.scrub.done) ctx.io.info(stateRedactionLine(redaction));
    else if (redaction) ctx.io.warn(stateRedactionLine(redaction));
  }

  /** Runs `fn` holding the lock, or not at all while another live process holds it. */
  private async whileFree(lock: 'import', fn: () => Promise<void>): Promise<void> {
    try {
      await this.store.acquireLock(lock, this.spec.command);
    } catch (err) {
      if (err instanceof LockError) return;
      throw err;
    }
    try {
      await fn();
    } finally {
      await this.store.releaseLock(lock);
    }
  }

  /** The subscriptions' destinations, opened together (closed by end). */
  async openTargets(subscriptions: readonly Subscription[]): Promise<readonly DeliveryTarget[]> {
    if (this.spec.dryRun) return [];
    this.destinations = await openTargets(this.ctx, subscriptions);
    return this.destinations.targets;
  }

  /** Records how the run ended (when it was recorded), releases the lock, closes the store and the destinations. */
  async end(end?: SessionEnd): Promise<void> {
    const { store } = this;
    try {
      if (end?.rateLimit) await saveRateLimit(store, end.rateLimit);
      if (end && this.runId !== null) {
        const { failure } = end;
        await store.finishRun(this.runId, {
          outcome: runOutcome(failure, end.complete),
          exitCode: end.exitCode,
          // Scrubbed like terminal output: the runs table is printed by `status` and kept on disk.
          error: failure ? this.ctx.io.redact(`${errorKind(failure)}: ${errorMessage(failure)}`) : null,
          counts: end.counts,
          requests: end.requests,
        });
      }
      if (this.locked) await store.releaseLock('import');
    } finally {
      await store.close();
      await this.destinations?.close();
    }
  }
}

/** A dry run maps against an empty in-memory store: it writes nothing anywhere. */
async function openMemoryStore(): Promise<Store> {
  const { openStore } = await import('../store/sqlite/sqlite-store.js');
  return openStore(':memory:');
}
