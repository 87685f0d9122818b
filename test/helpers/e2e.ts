// One place that wires a sandbox, a receiver and a work dir with a config pointing at both, so
// end-to-end tests read as scenarios. `cli` runs the real command line in-process (run-cli.ts: the
// same program, flags, context and exit code, over in-memory streams, with the work dir's env and
// the real clock); `binary` and `spawn` start the built binary, for what only a process shows:
// signals, kill -9, exit codes of the process, env-driven proxies, file-size limits, another user.

import { afterEach } from 'vitest';
import { startSandbox, type SandboxHandle, type SandboxOptions, type TruthConversation } from '../../src/sandbox/index.ts';
import { makeWorkdir, run, start, type Env, type RunResult, type SpawnLimits, type Workdir } from './cli.ts';
import { startCli } from './run-cli.ts';
import { startReceiver, type Receiver, type ReceiverBehaviour, type ReceiverOptions } from './receiver.ts';
import type { StatusDocument } from '../../src/commands/status/index.ts';
import { InterruptedError } from '../../src/errors.ts';

export interface Scenario {
  sandbox: SandboxHandle;
  receiver: Receiver;
  work: Workdir;
  /** Runs the command line in-process in the work dir with the scenario's environment; an `undefined` value unsets a variable. */
  cli(args: string[], env?: Env): Promise<RunResult>;
  /** Starts the command line in-process, for a test that acts while it runs (see InProcessRun). */
  start(args: string[], env?: Env): InProcessRun;
  /** Runs the built binary the same way (a child process), optionally confined. */
  binary(args: string[], env?: Env, limits?: SpawnLimits): Promise<RunResult>;
  spawn(args: string[], env?: Env, limits?: SpawnLimits): ReturnType<typeof start>;
  /** Runs `args` once in a fresh work dir against the same sandbox and config, delivering to a fresh receiver. */
  reference(args: string[]): Promise<{ result: RunResult; delivered: ReturnType<Receiver['accepted']> }>;
  close(): Promise<void>;
}

/** A command line running in-process: its output so far, and what SIGINT/SIGTERM do to the binary. */
export interface InProcessRun {
  done: Promise<RunResult>;
  output(): { stdout: string; stderr: string };
  /** Whether it has ended (done has settled or is about to). */
  ended(): boolean;
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void;
}

export interface ScenarioOptions {
  sandbox?: SandboxOptions;
  receiver?: ReceiverBehaviour;
  /** How the receiver serves (HTTPS with a test certificate, for instance). */
  receiverOptions?: ReceiverOptions;
  token?: 'full' | 'noPrivate' | 'noEvents' | 'noCustomFields' | 'revoked';
  /** Keys of the generated config's `front:` block, replacing its defaults (YAML has one `front:` key). */
  front?: Record<string, string | number>;
  /** Keys of the generated http `destination:` block, replacing its defaults; null: no top-level destination (a config of subscriptions only). */
  destination?: Record<string, string | number> | null;
  /** Extra YAML appended to the generated config. */
  config?: string;
}

/** The destination token every scenario runs with (FRONT_IMPORT_DEST_TOKEN): a secret to look for. */
export const DEST_TOKEN = 'dest-secret-token-0123456789';

/**
 * The rate window a scenario's sandbox and client share unless the test sets one: Front's minute
 * compressed to 100 ms, so a scenario's pace is its CPU, not a wait. Tests about pacing set theirs.
 */
const WINDOW_MS = 100;

export async function scenario(opts: ScenarioOptions = {}): Promise<Scenario> {
  const sandbox = await startSandbox({ windowMs: WINDOW_MS, ...opts.sandbox });
  const receiver = await startReceiver(opts.receiver, opts.receiverOptions);
  const workdir = (receiverUrl: string): Workdir => {
    const work = makeWorkdir({
      FRONT_API_TOKEN: sandbox.tokens[opts.token ?? 'full'],
      FRONT_IMPORT_DEST_TOKEN: DEST_TOKEN,
    });
    // Pacing follows the sandbox's plan and (compressed) window unless a test says otherwise.
    const front = {
      url: sandbox.url,
      plan: opts.sandbox?.plan ?? 'professional',
      rateWindowMs: opts.sandbox?.windowMs ?? WINDOW_MS,
      retryBaseMs: 20,
      timeoutMs: 3000,
      ...opts.front,
    };
    const destination = opts.destination === null ? null : { type: 'http', url: receiverUrl, retryBaseMs: 10, timeoutMs: 3000, ...opts.destination };
    work.config(
      [
        'front:',
        ...Object.entries(front).map(([key, value]) => `  ${key}: ${value}`),
        ...(destination ? ['destination:', ...Object.entries(destination).map(([key, value]) => `  ${key}: ${value}`)] : []),
        opts.config ?? '',
      ].join('\n'),
    );
    return work;
  };
  const work = workdir(receiver.url);
  return {
    sandbox,
    receiver,
    work,
    cli: (args, env = {}) => inProcess(args, work.dir, { ...work.env, ...env }),
    start: (args, env = {}) => startInProcess(args, work.dir, { ...work.env, ...env }),
    binary: (args, env = {}, limits = {}) => run(args, { cwd: work.dir, env: { ...work.env, ...env }, ...limits }),
    spawn: (args, env = {}, limits = {}) => start(args, { cwd: work.dir, env: { ...work.env, ...env }, ...limits }),
    reference: async (args) => {
      const fresh = await startReceiver();
      const other = workdir(fresh.url);
      try {
        const result = await inProcess(args, other.dir, other.env);
        return { result, delivered: fresh.accepted() };
      } finally {
        await fresh.close();
        other.remove();
      }
    },
    close: async () => {
      await receiver.close();
      await sandbox.close();
      work.remove();
    },
  };
}

/** `front-import ...args` in-process, reported as the binary's run is (no signal: nothing kills it). */
export function inProcess(args: string[], cwd: string, env: Env): Promise<RunResult> {
  return startInProcess(args, cwd, env).done;
}

/** Starts `front-import ...args` in-process; interrupting it aborts the run as main does on a signal. */
function startInProcess(args: string[], cwd: string, env: Env): InProcessRun {
  const t0 = Date.now();
  const abort = new AbortController();
  const running = startCli(args, { cwd, env, signal: abort.signal });
  let ended = false;
  const done = running.done.then((r) => {
    ended = true;
    return { code: r.exitCode, signal: null, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
  });
  return {
    done,
    output: () => ({ stdout: running.stdout(), stderr: running.stderr() }),
    ended: () => ended,
    interrupt: (signal) => abort.abort(new InterruptedError(signal)),
  };
}

/** Conversations with activity since `sinceMs` that the default scope imports (not spam, not trashed). */
export function activeSince(sandbox: SandboxHandle, sinceMs: number): TruthConversation[] {
  return importable(sandbox.control.truth().conversations).filter((c) => (c.updated_at ?? 0) * 1000 >= sinceMs);
}

/** The conversations the default scope imports: spam and trashed ones are left out (README "Scope and routing"). */
export function importable<T extends { status?: string | null }>(conversations: T[]): T[] {
  return conversations.filter((c) => c.status !== 'deleted' && c.status !== 'spam');
}

/** The latest delivered Highlight per id, and how many distinct versions each id received. */
export function latestById(receiver: Receiver): Map<string, Record<string, unknown> & { id: string; version: string }> {
  const out = new Map<string, Record<string, unknown> & { id: string; version: string }>();
  for (const batch of receiver.batches) for (const h of batch.highlights) out.set(h.id, h);
  return out;
}

/** Highlight ids of the importable ones among these conversations (see importable), sorted. */
export const idsOf = (conversations: Array<{ id: string; status?: string | null }>): string[] =>
  importable(conversations).map((c) => `front:${c.id}`).sort();

/** Every Highlight id the scenario's receiver accepted, once each, sorted. */
export const deliveredIds = (s: Scenario): string[] => [...new Set(s.receiver.accepted().map((d) => d.id))].sort();

/** What `front-import status --json` reports for the scenario's state file. */
export async function statusOf(s: Scenario): Promise<StatusDocument> {
  return JSON.parse((await s.cli(['status', '--json'])).stdout);
}

/**
 * Closes every scenario a test kept, after that test, passed or failed. Call once per test file:
 * `const keep = closeAfterEach();` then `const s = keep(await scenario(...))`.
 */
export function closeAfterEach(): (s: Scenario) => Scenario {
  let kept: Scenario[] = [];
  afterEach(async () => {
    const closing = kept;
    kept = [];
    await Promise.all(closing.map((s) => s.close()));
  });
  return (s) => {
    kept.push(s);
    return s;
  };
}
