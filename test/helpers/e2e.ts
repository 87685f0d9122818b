// One place that wires a sandbox, a receiver and a work dir with a config pointing at both, so
// end-to-end tests read as scenarios.

import { startSandbox, type SandboxHandle, type SandboxOptions, type TruthConversation } from '../../src/sandbox/index.js';
import { makeWorkdir, run, start, type RunResult, type Workdir } from './cli.js';
import { startReceiver, type Receiver, type ReceiverBehaviour } from './receiver.js';

export interface Scenario {
  sandbox: SandboxHandle;
  receiver: Receiver;
  work: Workdir;
  /** Runs the binary in the work dir with the scenario's environment. */
  cli(args: string[], env?: Record<string, string>): Promise<RunResult>;
  spawn(args: string[], env?: Record<string, string>): ReturnType<typeof start>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  sandbox?: SandboxOptions;
  receiver?: ReceiverBehaviour;
  token?: 'full' | 'noPrivate' | 'noEvents' | 'revoked';
  /** Extra YAML appended to the generated config. */
  config?: string;
}

export async function scenario(opts: ScenarioOptions = {}): Promise<Scenario> {
  const sandbox = await startSandbox({ windowMs: 1000, ...opts.sandbox });
  const receiver = await startReceiver(opts.receiver);
  const work = makeWorkdir({
    FRONT_API_TOKEN: sandbox.tokens[opts.token ?? 'full'],
    FRONT_IMPORT_DEST_TOKEN: 'dest-secret-token-0123456789',
  });
  work.config(
    [
      'front:',
      `  url: ${sandbox.url}`,
      '  plan: professional',
      '  rateWindowMs: 1000',
      '  retryBaseMs: 20',
      '  timeoutMs: 3000',
      'destination:',
      '  type: http',
      `  url: ${receiver.url}`,
      '  retryBaseMs: 10',
      '  timeoutMs: 3000',
      opts.config ?? '',
    ].join('\n'),
  );
  return {
    sandbox,
    receiver,
    work,
    cli: (args, env = {}) => run(args, { cwd: work.dir, env: { ...work.env, ...env } }),
    spawn: (args, env = {}) => start(args, { cwd: work.dir, env: { ...work.env, ...env } }),
    close: async () => {
      await receiver.close();
      await sandbox.close();
    },
  };
}

/** Conversations visible to the full token with activity at or after `sinceMs`. */
export function activeSince(sandbox: SandboxHandle, sinceMs: number): TruthConversation[] {
  return sandbox.control.truth().conversations.filter((c) => (c.updated_at ?? 0) * 1000 >= sinceMs);
}

/** The latest delivered Highlight per id, and how many distinct versions each id received. */
export function latestById(receiver: Receiver): Map<string, Record<string, unknown> & { id: string; version: string }> {
  const out = new Map<string, Record<string, unknown> & { id: string; version: string }>();
  for (const batch of receiver.batches) for (const h of batch.highlights) out.set(h.id, h);
  return out;
}
