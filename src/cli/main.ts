// Entry point: commander program, global flags, signal handling and the exit code. Command modules
// are imported lazily so `--version` and `--help` start without loading got, SQLite or zod.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, FrontImportError, InterruptedError, exitCodeFor } from '../errors.js';
import { IOStreams } from './io.js';
import { readVersion } from '../version.js';
import { LIMITER_MODELS, type LimiterModel } from '../sandbox/company-limit.js';
import type { GlobalFlags } from './context.js';

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

export function buildProgram(rt: Runtime, setExit: (code: number) => void): Command {
  const program = new Command();
  const abort = new AbortController();
  let io: IOStreams | null = null;

  const makeIO = (flags: GlobalFlags & { json?: boolean }) => {
    io = new IOStreams({
      stdout: rt.stdout,
      stderr: rt.stderr,
      env: rt.env,
      quiet: flags.quiet,
      verbose: flags.verbose,
      json: flags.json,
      color: flags.color,
    });
    return io;
  };

  // Every action goes through here: one place for errors -> message + exit code.
  const action =
    <O extends object>(fn: (opts: O, flags: GlobalFlags, io: IOStreams, signal: AbortSignal) => Promise<number | void>) =>
    async (opts: O, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as GlobalFlags & { json?: boolean };
      const streams = makeIO(flags);
      try {
        const code = await fn(opts, flags, streams, abort.signal);
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
    .option('--db <path>', 'state file (default: one per Front URL under $XDG_STATE_HOME/front-import/)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print request-level detail and stack traces')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => rt.stdout.write(s),
      writeErr: (s) => rt.stderr.write(s),
      // One line, our prefix, and where to look: commander's default is "error: …" plus help text.
      outputError: (s, write) => write(`front-import: ${s.trim().replace(/^error: /, '')} (see front-import --help)\n`),
    });

  program
    .command('connect')
    .description('check the Front token: company, inboxes, events access, rate limit')
    .option('--check', 'one line for CI smoke checks; exit 0 or 3')
    .option('--save', 'save the token (from FRONT_API_TOKEN) to the user config file (mode 0600)')
    .option('--json', 'machine-readable result')
    .action(
      action(async (opts: { check?: boolean; save?: boolean }, flags, streams, signal) => {
        const { runConnect } = await import('../commands/connect/index.js');
        const { loadContext } = await import('./context.js');
        const ctx = await loadContext(flags, rt, streams, signal);
        return runConnect({ check: Boolean(opts.check), save: Boolean(opts.save), json: Boolean(flags.json) }, ctx);
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
      .option('--json', 'print one JSON summary object');

  importOptions(
    program
      .command('backfill')
      .description('import every in-scope conversation with activity in a time window')
      .requiredOption('--since <when>', 'window start: 7d, 36h, 2w, 90m or an ISO date')
      .option('--until <when>', 'window end (default now)')
      .option('--dry-run', 'fetch and map, but write and deliver nothing')
      .addOption(new Option('--limit <n>', 'stop after N conversations').argParser(positiveInt('--limit'))),
  ).action(
    action(async (opts: ImportFlags & { since: string; until?: string; dryRun?: boolean; limit?: number }, flags, streams, signal) => {
      const { runBackfill } = await import('../commands/backfill/index.js');
      const { loadContext } = await import('./context.js');
      const ctx = await loadContext(flags, rt, streams, signal, overridesOf(opts));
      return runBackfill(
        { since: opts.since, until: opts.until, dryRun: Boolean(opts.dryRun), limit: opts.limit, json: Boolean(flags.json) },
        ctx,
      );
    }),
  );

  importOptions(
    program
      .command('sync')
      .description('import what changed since the last sync (for cron)')
      .option('--since <when>', 'first run only: how far back to start (default sync.initialWindow)'),
  ).action(
    action(async (opts: ImportFlags & { since?: string }, flags, streams, signal) => {
      const { runSync } = await import('../commands/sync/index.js');
      const { loadContext } = await import('./context.js');
      const ctx = await loadContext(flags, rt, streams, signal, overridesOf(opts));
      return runSync({ since: opts.since, json: Boolean(flags.json) }, ctx);
    }),
  );

  subscriptionOption(program
    .command('status')
    .description('show the cursor, recent runs, delivery totals and the last rate limit seen'))
    .option('--json', 'machine-readable status')
    .option('--max-lag <duration>', 'exit 1 when the newest successful sync is older than this (e.g. 1h)')
    .action(
      action(async (opts: { maxLag?: string; subscription?: string[] }, flags, streams) => {
        const { runStatus } = await import('../commands/status/index.js');
        const { loadStatusContext } = await import('./context.js');
        const ctx = await loadStatusContext(flags, rt, streams, { subscriptions: opts.subscription });
        return runStatus({ json: Boolean(flags.json), maxLag: opts.maxLag }, ctx);
      }),
    );

  program
    .command('sandbox')
    .description('serve a simulated Front API on 127.0.0.1 to try front-import without an account')
    .addOption(new Option('--port <n>', 'port (default: a free one)').argParser(port))
    .option('--seed <seed>', 'workspace seed', '1')
    .addOption(new Option('--conversations <n>', 'how many conversations').argParser(positiveInt('--conversations')).default(200))
    .addOption(new Option('--days <n>', 'spread activity over the last N days').argParser(positiveInt('--days')).default(7))
    .addOption(new Option('--plan <plan>', 'rate-limit plan').choices(['starter', 'professional', 'enterprise']).default('professional'))
    .addOption(new Option('--window-ms <ms>', 'rate window length (compress time for demos)').argParser(positiveInt('--window-ms')))
    .option('--error-rate <fraction>', 'answer this fraction of requests with 5xx', parseFloat)
    .addOption(new Option('--latency <ms>', 'added to every response').argParser(positiveInt('--latency')))
    .option('--no-rate-limit', 'serve without rate limits')
    .addOption(new Option('--limiter <model>', 'how the rate limit counts (default fixed)').choices([...LIMITER_MODELS]))
    .option('--demo', 'run `backfill --since 7d` against the sandbox, then stop')
    .action(
      action(async (opts: SandboxFlags, _flags, streams, signal) => {
        const sandboxOptions = {
          port: opts.port,
          seed: opts.seed,
          conversations: opts.conversations,
          days: opts.days,
          plan: opts.plan,
          windowMs: opts.windowMs,
          rateLimit: opts.rateLimit,
          limiter: opts.limiter,
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

  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (abort.signal.aborted) {
      // Second Ctrl+C: the user means it. Progress up to the last saved page is already durable.
      process.exit(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated);
    }
    (io as IOStreams | null)?.warn(`${signal} received: stopping (again to quit at once)`);
    abort.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  return program;
}

interface ImportFlags {
  subscription?: string[];
  to?: string;
  inbox?: string[];
  tag?: string[];
  status?: string[];
}

interface SandboxFlags {
  port?: number;
  limiter?: LimiterModel;
  seed: string;
  conversations: number;
  days: number;
  plan: 'starter' | 'professional' | 'enterprise';
  windowMs?: number;
  errorRate?: number;
  latency?: number;
  rateLimit: boolean;
  demo?: boolean;
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
  const message = err instanceof Error ? err.message : String(err);
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
  const program = buildProgram(rt, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander exits 1 on usage errors; our contract says 2. Help and version are not errors.
      // 'commander.help' is help shown because no command was given: a usage error too.
      const benign = ['commander.helpDisplayed', 'commander.version'];
      exitCode = benign.includes(err.code) ? ExitCode.ok : ExitCode.usage;
    } else {
      exitCode = exitCodeFor(err);
      rt.stderr.write(`front-import: ${err instanceof Error ? err.message : String(err)}\n`);
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
