// Builds what a command needs (config, IO, clock, factories for the Front client, store and
// destination) from flags and the process environment. Commands get this object and nothing
// global, so tests can hand them fakes.

import { homedir } from 'node:os';
import type { IOStreams } from './io.js';
import type { ConfigOverrides, DestinationSettings, ResolvedConfig } from '../config/types.js';
import { loadConfig, requireToken } from '../config/load.js';
import { PLAN_RPM } from '../config/types.js';
import type { FrontClient } from '../front/client.js';
import type { Store } from '../store/roles.js';
import type { Destination } from '../destinations/types.js';
import { userAgent } from '../version.js';
import { postgresPassword } from '../store/location.js';

export interface GlobalFlags {
  json?: boolean;
  config?: string;
  db?: string;
  state?: string;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export interface RuntimeEnv {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Epoch ms; Date.now unless a test fixes it. */
  clock?: () => number;
}

export interface CommandContext {
  config: ResolvedConfig;
  io: IOStreams;
  env: Record<string, string | undefined>;
  homeDir: string;
  clock: () => number;
  signal: AbortSignal;
  frontClient(): Promise<FrontClient>;
  openStore(): Promise<Store>;
  destination(settings: DestinationSettings): Promise<Destination>;
}

export async function loadContext(
  flags: GlobalFlags,
  rt: RuntimeEnv,
  io: IOStreams,
  signal: AbortSignal,
  overrides: ConfigOverrides = {},
): Promise<CommandContext> {
  const homeDir = rt.env.HOME || homedir();
  const config = await loadConfig({
    configPath: flags.config,
    cwd: rt.cwd,
    env: rt.env,
    homeDir,
    overrides: { ...overrides, db: flags.db, state: flags.state },
  });
  io.addSecret(config.front.token);
  for (const { destination } of config.subscriptions) {
    if (destination.type === 'http') {
      io.addSecret(destination.token);
      io.addSecret(destination.signingSecret);
    } else if (destination.path === '-') {
      io.setStdoutIsData(true);
    }
  }
  io.addSecret(config.listen.secret);
  io.addSecret(config.listen.ruleSecret);
  io.addSecret(config.highlights.piiKey);
  if (config.store.kind === 'postgres') {
    io.addSecret(postgresPassword(config.store.url));
    io.addSecret(rt.env.PGPASSWORD);
  }

  const clock = rt.clock ?? (() => Date.now());
  return {
    config,
    io,
    env: rt.env,
    homeDir,
    clock,
    signal,
    async frontClient() {
      const token = requireToken(config, rt.env);
      const { createFrontClient } = await import('../front/client.js');
      const { token: _token, url, plan, rpm, ...tuning } = config.front;
      return createFrontClient({
        ...tuning,
        baseUrl: url,
        token,
        userAgent: userAgent(),
        rpm: rpm ?? PLAN_RPM[plan],
        pacing: rt.env.FRONT_IMPORT_NO_PACING !== '1',
        clock,
        log: (level, line) => (level === 'warn' ? io.warn(line) : io.debug(line)),
        signal,
      });
    },
    async openStore() {
      const { openStateStore } = await import('../store/open-store.js');
      const { ephemeralStateWarning, hostFacts } = await import('../store/ephemeral-state.js');
      // Once per run: each command opens its store once.
      const warning = ephemeralStateWarning(config.store, rt.env, hostFacts(rt.env));
      if (warning) io.warn(warning);
      return openStateStore(config.store, { clock });
    },
    async destination(settings) {
      const { createDestination } = await import('../destinations/index.js');
      const { abortableSleep } = await import('../shared/sleep.js');
      return createDestination(settings, {
        userAgent: userAgent(),
        // Ctrl+C ends the wait between retries (the batch stays saved for the next run); a POST
        // already on the wire is let finish.
        sleep: (ms) => abortableSleep(ms, signal),
        log: (line: string) => io.debug(line),
        stdout: io.stdout,
        clock,
      });
    },
  };
}

/** `status` needs the config (for the store path) but must work without a token. */
export const loadStatusContext = (flags: GlobalFlags, rt: RuntimeEnv, io: IOStreams, overrides: ConfigOverrides = {}) =>
  loadContext(flags, rt, io, new AbortController().signal, overrides);
