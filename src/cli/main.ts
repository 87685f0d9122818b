// Entry point: commander program, global flags, signal handling and the exit code. Command modules
// are imported lazily so `--version` and `--help` start without loading got, SQLite or zod.

import { resolve as resolvePath } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, FrontImportError, InterruptedError, errorObject, exitCodeFor } from '../errors.js';
import { PLANS } from '../config/schema.js';
import type { StrategyMode } from '../pipeline/strategy-choice.js';
import { helpFooter, programFooter } from './help-text.js';
import { IOStreams } from './io.js';
import { choice, usageErrorLines } from './usage-errors.js';
import { readVersion } from '../version.js';
import { LIMITER_MODELS, type LimiterModel } from '../sandbox/company-limit.js';
import type { GlobalFlags } from './context.js';
import { errorMessage } from '../shared/error-message.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag}: expected a positive whole number`);
    }
    return n;
  };
}

function wholeNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag}: expected a whole number (0 or more)`);
    return n;
  };
}

/** "4" or "2,40": one count, or one per equal slice of the window, oldest first. */
function countList(flag: string) {
  const one = positiveInt(flag);
  return (value: string): number | number[] => {
    const list = value.split(',').map((part) => one(part.trim()));
    return list.length === 1 ? list[0]! : list;
  };
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535');
  return n;
}

interface Runtime {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  cwd: string;
}

/** What the program reports back to `main`, which owns the process (exit code, signals). */
export interface ProgramHooks {
  /** Aborted by main on SIGINT/SIGTERM; every command stops on it. */
  signal: AbortSignal;
  setExit(code: number): void;
  /** The IO object of the command being run, for main's signal message. */
  ioCreated(io: IOStreams): void;
}

export function buildProgram(rt: Runtime, hooks: ProgramHooks): Command {
  const program = new Command();
  const { signal: stop, setExit } = hooks;
  // Help goes to stdout (it was asked for); errors are one line, a suggestion, and where to look.
  const outputFor = (command: string) => ({
    writeOut: (s: string) => rt.stdout.write(s),
    writeErr: (s: string) => rt.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) => write(usageErrorLines(s, command).join('\n') + '\n'),
  });

  const makeIO = (flags: GlobalFlags & { json?: boolean }) => {
    const io = new IOStreams({
      stdout: rt.stdout,
      stderr: rt.stderr,
      env: rt.env,
      quiet: flags.quiet,
      verbose: flags.verbose,
      json: flags.json,
      color: flags.color,
    });
    hooks.ioCreated(io);
    return io;
  };

  // Every action goes through here: one place for errors -> message + exit code.
  const action =
    <O extends object>(fn: (opts: O, flags: GlobalFlags, io: IOStreams, signal: AbortSignal) => Promise<number | void>) =>
    async (opts: O, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as GlobalFlags & { json?: boolean };
      const streams = makeIO(flags);
      try {
        const code = await fn(opts, flags, streams, stop);
        setExit(code ?? ExitCode.ok);
      } catch (err) {
        setExit(reportError(err, streams));
      }
    };

  program
    .name('front-import')
    .description('Import Front conversations into NEXT AI as Highlights')
    .version(readVersion(), '-V, --version')
    .option('-c, --config <path>', 'use this config file instead of searching for one')
    .option('--state <url>', 'state: a file path, sqlite:PATH or postgres://user@host/db (default: one SQLite file per Front URL under $XDG_STATE_HOME/front-import/)')
    .option('--db <path>', 'state file (same as --state PATH)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print request-level detail and stack traces')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText('after', programFooter())
    .configureOutput(outputFor('front-import'));

  program
    .command('connect')
    .description('check the Front token: company, inboxes, events access, rate limit')
    .option('--check', 'one line for CI smoke checks; exit 0 (works), 2 (config), 3 (token refused or missing) or 5 (Front unreachable)')
    .option('--save', 'save the token (from FRONT_API_TOKEN) to the user config file (mode 0600)')
    .option('--json', 'machine-readable result')
    .action(
      action(async (opts: { check?: boolean; save?: boolean }, flags, streams, signal) => {
        try {
          const { runConnect } = await import('../commands/connect/index.js');
          const { loadContext } = await import('./context.js');
          const ctx = await loadContext(flags, rt, streams, signal);
          return await runConnect({ check: Boolean(opts.check), save: Boolean(opts.save), json: Boolean(flags.json) }, ctx);
        } catch (err) {
          // A CI job parsing --json gets an answer on failure too, as backfill --json gives one.
          if (flags.json) streams.result({ ok: false, exitCode: exitCodeFor(err), error: errorObject(err) });
          throw err;
        }
      }),
    );

  const subscriptionOption = (cmd: Command) =>
    cmd.option('--subscription <name>', 'only this subscription (repeatable; default: all configured)', collect);

  const importOptions = (cmd: Command) =>
    subscriptionOption(cmd)
      .option('--to <dest>', 'destination: a file path, - for stdout, or an http(s) URL')
      .option('--inbox <name-or-id>', 'only this inbox (repeatable)', collect)
      .option('--tag <name>', 'only conversations with this tag (repeatable)', collect)
      .option('--status <status>', 'only this Highlight status: open, archived, spam, trashed (repeatable)', collect)
      .addOption(
        new Option('--strategy <strategy>', 'how to read Front: auto (the cheaper by estimated cost, re-judged during the run), events or listing')
          .argParser(choice(['auto', 'events', 'listing'] as const))
          .default('auto'),
      )
      .option('--json', 'print one JSON summary object');

  importOptions(
    program
      .command('backfill')
      .description('import every in-scope conversation with activity in a time window')
      // Checked in the command, not by commander: commander reports a missing option before an
      // unknown one, so `--sinse 7d` would get "--since not specified" instead of "did you mean".
      .option('--since <when>', 'window start (required): 7d, 36h, 2w, 90m, or an ISO date/time (no zone = local time)')
      .option('--until <when>', 'window end (default now)')
      .option('--dry-run', 'fetch and map, but write and deliver nothing')
      .addOption(new Option('--limit <n>', 'stop after N conversations').argParser(positiveInt('--limit'))),
  ).action(
    action(async (opts: ImportFlags & { since?: string; until?: string; dryRun?: boolean; limit?: number }, flags, streams, signal) => {
      const { runBackfill } = await import('../commands/backfill/index.js');
      const { loadContext } = await import('./context.js');
      const ctx = await loadContext(flags, rt, streams, signal, overridesOf(opts));
      return runBackfill(
        { since: opts.since, until: opts.until, dryRun: Boolean(opts.dryRun), limit: opts.limit, strategy: opts.strategy, json: Boolean(flags.json) },
        ctx,
      );
    }),
  );

  importOptions(
    program
      .command('sync')
      .description('import what changed since the last sync (for cron)')
      .option('--since <when>', 'first sync only (refused once a cursor exists): how far back to start (default sync.initialWindow)'),
  ).action(
    action(async (opts: ImportFlags & { since?: string }, flags, streams, signal) => {
      const { runSync } = await import('../commands/sync/index.js');
      const { loadContext } = await import('./context.js');
      const ctx = await loadContext(flags, rt, streams, signal, overridesOf(opts));
      return runSync({ since: opts.since, strategy: opts.strategy, json: Boolean(flags.json) }, ctx);
    }),
  );

  subscriptionOption(program
    .command('status')
    .description('show the cursor, recent runs, delivery totals and the last rate limit seen'))
    .option('--json', 'machine-readable status')
    .option('--max-lag <duration>', 'exit 8 when the newest successful sync is older than this (e.g. 1h)')
    .addOption(new Option('--max-pending <n>', 'exit 8 when more than N Highlights wait for delivery').argParser(wholeNumber('--max-pending')))
    .addOption(new Option('--max-refused <n>', 'exit 8 when more than N Highlights were refused by the destination').argParser(wholeNumber('--max-refused')))
    .option('--prometheus <file>', "also write the metrics for node_exporter's textfile collector (atomic replace)")
    .action(
      action(async (opts: { maxLag?: string; maxPending?: number; maxRefused?: number; prometheus?: string; subscription?: string[] }, flags, streams) => {
        const { runStatus } = await import('../commands/status/index.js');
        const { loadStatusContext } = await import('./context.js');
        const ctx = await loadStatusContext(flags, rt, streams, { subscriptions: opts.subscription });
        return runStatus(
          { json: Boolean(flags.json), maxLag: opts.maxLag, maxPending: opts.maxPending, maxRefused: opts.maxRefused, prometheus: opts.prometheus },
          ctx,
        );
      }),
    );

  program
    .command('config')
    .alias('doctor')
    .description('show the effective configuration, where each value comes from, and check it')
    .option('--json', 'machine-readable report')
    .option('--offline', 'skip the checks that contact Front or the destination')
    .action(
      action(async (opts: { offline?: boolean }, flags, streams, signal) => {
        const { runConfig } = await import('../commands/config/index.js');
        const { loadContext } = await import('./context.js');
        const { loadConfigSources } = await import('../config/load.js');
        const ctx = await loadContext(flags, rt, streams, signal);
        const sources = await loadConfigSources({ configPath: flags.config, cwd: rt.cwd, env: rt.env, homeDir: ctx.homeDir, overrides: { db: flags.db } });
        return runConfig({ json: Boolean(flags.json), offline: Boolean(opts.offline) }, ctx, sources);
      }),
    );

  subscriptionOption(program
    .command('replay')
    .description('send the stored Highlights again, with no Front request (a new teamspace, a destination that lost data)'))
    .option('--to <dest>', 'deliver to this destination instead (a file path, - for stdout, or an http(s) URL)')
    .option('--since <when>', 'only conversations updated since then: 7d, 36h, 2w, 90m or an ISO date')
    .option('--json', 'print one JSON summary object')
    .action(
      action(async (opts: { subscription?: string[]; to?: string; since?: string }, flags, streams, signal) => {
        const { runReplay } = await import('../commands/replay/index.js');
        const { loadContext } = await import('./context.js');
        const ctx = await loadContext(flags, rt, streams, signal, { subscriptions: opts.subscription, to: opts.to });
        return runReplay({ since: opts.since, json: Boolean(flags.json) }, ctx);
      }),
    );

  subscriptionOption(program
    .command('retry-refused')
    .description('send again what a destination refused (after the receiver was fixed), with no Front request'))
    .option('--json', 'print one JSON summary object')
    .action(
      action(async (opts: { subscription?: string[] }, flags, streams, signal) => {
        const { runRetryRefused } = await import('../commands/retry-refused/index.js');
        const { loadContext } = await import('./context.js');
        const ctx = await loadContext(flags, rt, streams, signal, { subscriptions: opts.subscription });
        return runRetryRefused({ json: Boolean(flags.json) }, ctx);
      }),
    );

  const state = program.command('state').description('move the state between a SQLite file and PostgreSQL (see --state)');
  for (const verb of ['export', 'import'] as const) {
    const stateAction = action(async (opts: { file: string }, flags, streams, signal) => {
      const { runStateExport, runStateImport } = await import('../commands/state/index.js');
      const { loadContext } = await import('./context.js');
      const ctx = await loadContext(flags, rt, streams, signal);
      const path = resolvePath(rt.cwd, opts.file);
      return (verb === 'export' ? runStateExport : runStateImport)(path, { json: Boolean(flags.json) }, ctx);
    });
    state
      .command(`${verb} <file>`)
      .description(verb === 'export' ? 'write the whole state to FILE (JSON lines, mode 0600)' : 'load FILE into the state, which must be empty')
      .option('--json', 'machine-readable result')
      .action((file: string, opts: object, cmd: Command) => stateAction({ ...opts, file }, cmd));
  }

  program
    .command('sandbox')
    .description('serve a simulated Front API on 127.0.0.1 to try front-import without an account')
    .addOption(new Option('--port <n>', 'port (default: a free one)').argParser(port))
    .option('--seed <seed>', 'workspace seed', '1')
    .addOption(new Option('--conversations <n>', 'how many conversations').argParser(positiveInt('--conversations')).default(200))
    .addOption(new Option('--days <n>', 'spread activity over the last N days').argParser(positiveInt('--days')).default(7))
    .addOption(
      new Option('--messages-per-conversation <n[,n...]>', 'messages in each conversation (default 1-12, mean 4); a list sets it per equal slice of the window, oldest first')
        .argParser(countList('--messages-per-conversation')),
    )
    .addOption(new Option('--plan <plan>', 'rate-limit plan: starter, professional or enterprise').argParser(choice(PLANS)).default('professional'))
    .addOption(new Option('--window-ms <ms>', 'rate window length (compress time for demos)').argParser(positiveInt('--window-ms')))
    .option('--error-rate <fraction>', 'answer this fraction of requests with 5xx', parseFloat)
    .addOption(new Option('--latency <ms>', 'added to every response').argParser(positiveInt('--latency')))
    .option('--no-rate-limit', 'serve without rate limits')
    .addOption(new Option('--limiter <model>', `how the rate limit counts: ${LIMITER_MODELS.join(', ')} (default fixed)`).argParser(choice(LIMITER_MODELS)))
    .option('--pii', 'plant personal data (e-mails, phone numbers, cards, IBANs) in about one inbound message in three, to try highlights.redact')
    .option('--demo', 'run `backfill --since 7d` against the sandbox, then stop')
    .action(
      action(async (opts: SandboxFlags, _flags, streams, signal) => {
        const sandboxOptions = {
          port: opts.port,
          seed: opts.seed,
          conversations: opts.conversations,
          days: opts.days,
          messagesPerConversation: opts.messagesPerConversation,
          plan: opts.plan,
          windowMs: opts.windowMs,
          rateLimit: opts.rateLimit,
          limiter: opts.limiter,
          pii: opts.pii,
          faults: { errorRate: opts.errorRate, latencyMs: opts.latency },
        };
        const out = (line: string) => streams.stdout.write(line + '\n');
        if (opts.demo) {
          const { runDemo } = await import('../commands/sandbox/demo.js');
          return runDemo(sandboxOptions, out, rt.env, rt.cwd);
        }
        const { runSandboxCommand } = await import('../commands/sandbox/index.js');
        await runSandboxCommand(sandboxOptions, out, signal);
      }),
    );

  program
    .command('listen')
    .description('receive Front webhooks and import the conversations they name')
    .addOption(new Option('--port <n>', 'port (default listen.port, 8787; 0 = any free port)').argParser(port))
    .option('--host <host>', 'interface to bind (default listen.host, 127.0.0.1)')
    .option('--path <path>', 'webhook path (default listen.path, /front/webhook)')
    .option('--to <dest>', 'destination: a file path, - for stdout, or an http(s) URL')
    .option('--insecure-no-verify', 'accept unsigned webhooks (testing only)')
    .action(
      action(async (opts: ListenFlags, flags, streams, signal) => {
        const { runListen } = await import('../commands/listen/index.js');
        const { loadContext } = await import('./context.js');
        const ctx = await loadContext(flags, rt, streams, signal, { to: opts.to });
        return runListen(
          { port: opts.port, host: opts.host, path: opts.path, insecureNoVerify: Boolean(opts.insecureNoVerify) },
          ctx,
        );
      }),
    );

  for (const cmd of program.commands) {
    cmd.addHelpText('after', helpFooter(cmd.name()));
    cmd.configureOutput(outputFor(`front-import ${cmd.name()}`));
  }

  return program;
}

interface ImportFlags {
  subscription?: string[];
  to?: string;
  inbox?: string[];
  tag?: string[];
  status?: string[];
  strategy: StrategyMode;
}

interface SandboxFlags {
  port?: number;
  limiter?: LimiterModel;
  seed: string;
  conversations: number;
  days: number;
  messagesPerConversation?: number | number[];
  plan: 'starter' | 'professional' | 'enterprise';
  windowMs?: number;
  errorRate?: number;
  latency?: number;
  rateLimit: boolean;
  demo?: boolean;
  pii?: boolean;
}

interface ListenFlags {
  port?: number;
  host?: string;
  path?: string;
  to?: string;
  insecureNoVerify?: boolean;
}

function overridesOf(opts: ImportFlags) {
  return { subscriptions: opts.subscription, to: opts.to, inboxes: opts.inbox, tags: opts.tag, statuses: opts.status };
}

function reportError(err: unknown, io: IOStreams): number {
  if (err instanceof FrontImportError) {
    io.error(err.message);
    if (io.verbose && err.stack) io.debug(err.stack);
    return err.exitCode;
  }
  const message = errorMessage(err);
  io.error(`unexpected error: ${message}${io.verbose ? '' : ' (run with --verbose for details)'}`);
  if (err instanceof Error && err.stack) io.debug(err.stack);
  return ExitCode.unexpected;
}

export async function main(argv: string[]): Promise<void> {
  let exitCode: number = ExitCode.ok;
  const rt: Runtime = { argv, env: process.env, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
  // A closed pipe (`| head`) must surface as a write error to whoever writes (the NDJSON
  // destination reports it), not as an unhandled 'error' event that kills the process mid-page.
  process.stdout.on('error', () => undefined);
  const abort = new AbortController();
  let io: IOStreams | null = null;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (abort.signal.aborted) {
      // Second Ctrl+C: the user means it. Progress up to the last saved page is already durable.
      process.exit(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated);
    }
    io?.warn(`${signal} received: stopping (again to quit at once)`);
    abort.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const program = buildProgram(rt, {
    signal: abort.signal,
    setExit: (code) => {
      exitCode = code;
    },
    ioCreated: (created) => {
      io = created;
    },
  });
  try {
    // No command at all: the user is asking what this is. Help on stdout, exit 0 (as gh and npm do).
    if (argv.length <= 2) program.help();
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander exits 1 on usage errors; our contract says 2. Help and version are not errors.
      // Help shown because only global flags were given is a usage error (stderr, 2).
      const benign = ['commander.helpDisplayed', 'commander.version'].includes(err.code) || (err.code === 'commander.help' && err.exitCode === 0);
      exitCode = benign ? ExitCode.ok : ExitCode.usage;
    } else {
      exitCode = exitCodeFor(err);
      rt.stderr.write(`front-import: ${errorMessage(err)}\n`);
    }
  }
  await flush(rt.stdout);
  await flush(rt.stderr);
  process.exit(exitCode);
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}
