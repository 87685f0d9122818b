// Builds what a command needs (config, IO, clock, factories for the Front client, store and
// destination) from flags and the process environment, once per run (cli/run-command.ts). Commands
// get this object and nothing global, so tests can hand them fakes. Everything heavy (the config
// schema, the Front client, the store's drivers) is imported when first needed, so importing this
// module costs nothing a command does not use.

import { homedir } from 'node:os';
import type { IOStreams } from '../terminal/io.js';
import type { ConfigOverrides, DestinationSettings, ResolvedConfig } from '../config/types.js';
import type { ResolveInput } from '../config/resolve.js';
import { PLAN_RPM } from '../front-api/plans.js';
import type { FrontClient } from '../front/client.js';
import type { Store } from '../store/roles.js';
import type { Destination } from '../destinations/types.js';
import { userAgent } from '../version.js';
import { postgresPassword } from '../store/location.js';
import { secretParamValues } from '../shared/secret-params.js';

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
  /** What a command reads from the user (`connect --oauth --no-browser`); process.stdin unless a test gives one. */
  stdin?: NodeJS.ReadableStream;
  /** Epoch ms; Date.now unless a test fixes it. */
  clock?: () => number;
}

/** What every command gets, the sandbox included, which reads no configuration. */
export interface BareContext {
  io: IOStreams;
  env: Record<string, string | undefined>;
  /** The working directory relative paths on the command line are read from. */
  cwd: string;
  /**
   * What the user types (process.stdin unless a test gives one), made when a command reads it:
   * process.stdin builds its stream on first use, which for a file or /dev/null (cron) loads Node's
   * file streams and readline, about 1 ms of every command line.
   */
  stdin: () => NodeJS.ReadableStream;
  homeDir: string;
  clock: () => number;
  /** Aborted on SIGINT/SIGTERM; every command stops on it. */
  signal: AbortSignal;
}

export interface CommandContext extends BareContext {
  config: ResolvedConfig;
  /** Every layer `config` was merged from (`config` shows where each value comes from). */
  configSources: ResolveInput;
  frontClient(): Promise<FrontClient>;
  openStore(): Promise<Store>;
  /** The state when it exists, else null: nothing is created just to look at it. */
  openExistingStore(): Promise<Store | null>;
  destination(settings: DestinationSettings): Promise<Destination>;
}

export async function loadContext(
  flags: GlobalFlags,
  rt: RuntimeEnv,
  io: IOStreams,
  signal: AbortSignal,
  overrides: ConfigOverrides = {},
): Promise<CommandContext> {
  const bare = bareContext(rt, io, signal);
  const { homeDir, clock } = bare;
  const { loadConfigSources, requireToken } = await import('../config/load.js');
  const { resolveConfig } = await import('../config/resolve.js');
  const configSources = await loadConfigSources({
    configPath: flags.config,
    cwd: rt.cwd,
    env: rt.env,
    homeDir,
    overrides: { ...overrides, db: flags.db, state: flags.state },
  });
  const config = resolveConfig(configSources);
  io.addSecret(config.front.token);
  for (const { destination } of config.subscriptions) {
    if (destination.type === 'http') {
      io.addSecret(destination.token);
      io.addSecret(destination.signingSecret);
      // `?jwt=…`, `?access_token=…`: one rule (shared/secret-params.ts) for printing, storing and identity.
      for (const value of secretParamValues(destination.url)) io.addSecret(value);
    } else if (destination.path === '-') {
      io.setStdoutIsData(true);
    }
  }
  io.addSecret(config.highlights.piiKey);
  io.addSecret(config.listen.secret);
  io.addSecret(config.listen.ruleSecret);
  if (config.store.kind === 'postgres') {
    io.addSecret(postgresPassword(config.store.url));
    io.addSecret(rt.env.PGPASSWORD);
  }

  /** The state store, opened plainly: the OAuth refresh lock and vault open it too, and say nothing. */
  const openState = async () => {
    const { openStateStore } = await import('../store/open-store.js');
    return openStateStore(config.store, { clock });
  };
  /** An API token when one is set (FRONT_API_TOKEN or config) wins; else the configured Front app's OAuth tokens. */
  const frontCredentials = async () => {
    const hasToken = Boolean(config.front.token) || (rt.env.FRONT_API_TOKEN ?? '') !== '';
    // API-token users load nothing of OAuth.
    const oauth = hasToken ? null : await import('../oauth/index.js');
    if (oauth?.oauthConfigured(config.front.oauth)) {
      io.addSecret(config.front.oauth.clientSecret);
      // The token endpoint's Basic credentials, in the form a server might quote them back.
      io.addSecret(Buffer.from(`${config.front.oauth.clientId}:${config.front.oauth.clientSecret}`).toString('base64'));
      const credentials = await oauth.createOAuthCredentials({
        settings: config.front.oauth,
        apiUrl: config.front.url,
        store: config.store,
        env: rt.env,
        clock,
        openStore: openState,
        log: (line) => io.debug(line),
        signal,
      });
      credentials.onSecret((secret) => io.addSecret(secret));
      return credentials;
    }
    const { apiTokenCredentials } = await import('../front/credentials.js');
    return apiTokenCredentials(requireToken(config, rt.env));
  };
  return {
    ...bare,
    config,
    configSources,
    async frontClient() {
      const credentials = await frontCredentials();
      const { createFrontClient } = await import('../front/client.js');
      const { token: _token, tokenFrom, oauth: _oauth, url, plan, rpm, ...tuning } = config.front;
      return createFrontClient({
        ...tuning,
        baseUrl: url,
        credentials,
        // OAuth tokens are named by where their set is stored; an API token by its variable or file.
        tokenFrom: tokenFrom ?? (config.front.oauth.clientId ? 'the OAuth token set (connect --oauth)' : undefined),
        userAgent: userAgent(),
        rpm: rpm ?? PLAN_RPM[plan],
        pacing: rt.env.FRONT_IMPORT_NO_PACING !== '1',
        clock,
        log: (level, line) => (level === 'warn' ? io.warn(line) : io.debug(line)),
        signal,
      });
    },
    async openStore() {
      const { stateExists } = await import('../store/open-store.js');
      const { ephemeralStateWarning, hostFacts } = await import('../store/ephemeral-state.js');
      // Said when the state is created, not on every command: in CI every job creates it again (and
      // is warned again), in a long-lived container only the first command is.
      const warning = ephemeralStateWarning(config.store, rt.env, hostFacts(rt.env));
      if (warning && !(await stateExists(config.store))) io.warn(warning);
      return openState();
    },
    async openExistingStore() {
      const { openExistingStateStore } = await import('../store/open-store.js');
      return openExistingStateStore(config.store, { clock });
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

export function bareContext(rt: RuntimeEnv, io: IOStreams, signal: AbortSignal): BareContext {
  return { io, env: rt.env, cwd: rt.cwd, stdin: () => rt.stdin ?? process.stdin, homeDir: rt.env.HOME || homedir(), clock: rt.clock ?? (() => Date.now()), signal };
}
