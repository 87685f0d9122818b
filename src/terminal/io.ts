// The IO-streams object: the one place that decides TTY vs plain lines vs JSON, colour, verbosity,
// spinners, and that scrubs secrets from everything written. Commands receive it; tests build one
// over in-memory streams. Colour is decided per stream: `status > file` on a terminal writes plain
// text into the file while warnings on stderr stay coloured.

import type { Writable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { Secrets } from '../shared/secrets.js';

export interface IOOptions {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  quiet?: boolean;
  verbose?: boolean;
  json?: boolean;
  /** `--no-color`. */
  color?: boolean;
  /** Human messages go to stderr when stdout carries data (NDJSON to `-`). */
  stdoutIsData?: boolean;
}

export interface Progress {
  update(text: string): void;
  stop(): void;
}

export class IOStreams {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly interactive: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly json: boolean;
  private stdoutIsData: boolean;
  private wroteResult = false;
  private readonly secrets = new Secrets();
  private readonly stdoutChalk: ChalkInstance;
  private readonly stderrChalk: ChalkInstance;
  private spinner: { text: string; stop(): void; clear(): void; render(): void } | null = null;

  constructor(opts: IOOptions) {
    this.stdout = opts.stdout;
    this.stderr = opts.stderr;
    this.quiet = Boolean(opts.quiet);
    this.verbose = Boolean(opts.verbose) && !this.quiet;
    this.json = Boolean(opts.json);
    this.stdoutIsData = Boolean(opts.stdoutIsData);
    const env = opts.env;
    const ci = Boolean(env.CI) && env.CI !== 'false';
    // A terminal that reports no width (a pty nobody sized, as `script` or some CI runners make)
    // sends ora into clearing lines without end: such a terminal gets the plain lines instead.
    const columns = (opts.stderr as { columns?: number }).columns;
    this.interactive = Boolean(opts.stderr.isTTY) && !ci && env.TERM !== 'dumb' && columns !== 0;
    // chalk 5 ignores NO_COLOR, so it is decided here (https://no-color.org: any non-empty value).
    const colourAllowed = opts.color !== false && !env.NO_COLOR && env.TERM !== 'dumb';
    this.stdoutChalk = new Chalk({ level: colourAllowed && opts.stdout.isTTY ? 1 : 0 });
    this.stderrChalk = new Chalk({ level: colourAllowed && opts.stderr.isTTY ? 1 : 0 });
  }

  /** Styles for human lines (`info`), which go to stdout unless stdout carries data. */
  get chalk(): ChalkInstance {
    return this.stdoutIsData ? this.stderrChalk : this.stdoutChalk;
  }

  /** Registers a secret; it is replaced by the scrubber's marker in everything this object writes. */
  addSecret(secret: string | null | undefined): void {
    this.secrets.add(secret);
  }

  redact(text: string): string {
    return this.secrets.scrub(text);
  }

  setStdoutIsData(value: boolean): void {
    this.stdoutIsData = value;
  }

  private get messages(): Writable {
    return this.stdoutIsData ? this.stderr : this.stdout;
  }

  private write(stream: Writable, line: string): void {
    const text = this.redact(line);
    if (this.spinner) {
      this.spinner.clear();
      stream.write(`${text}\n`);
      this.spinner.render();
    } else {
      stream.write(`${text}\n`);
    }
  }

  /** A normal human line (summaries, results). Suppressed by --quiet and --json. */
  info(line: string): void {
    if (this.quiet || this.json) return;
    this.write(this.messages, line);
  }

  /** Detail for --verbose only. */
  debug(line: string): void {
    if (!this.verbose) return;
    this.write(this.stderr, this.stderrChalk.dim(line));
  }

  warn(line: string): void {
    if (this.quiet && !this.verbose) return;
    this.write(this.stderr, `${this.stderrChalk.yellow('warning:')} ${line}`);
  }

  /** Errors are never suppressed. */
  error(line: string): void {
    this.write(this.stderr, `${this.stderrChalk.red('front-import:')} ${line}`);
  }

  /** A plain progress line for logs (cron, CI): not on a terminal (the spinner shows it), not with --quiet or --json. */
  progressLine(line: string): void {
    if (this.quiet || this.json || this.interactive) return;
    this.write(this.stderr, line);
  }

  /** The one JSON document of a `--json` run. */
  result(value: unknown): void {
    this.wroteResult = true;
    this.write(this.messages, JSON.stringify(value, null, 2));
  }

  /** Whether the command wrote its --json document (so a failure after it adds none). */
  get resultWritten(): boolean {
    return this.wroteResult;
  }

  /**
   * A spinner on an interactive terminal; elsewhere nothing (cron logs get the summary line
   * instead). ora is loaded lazily so non-interactive runs and --version never pay for it.
   */
  async progress(initial: string): Promise<Progress> {
    if (!this.interactive || this.quiet || this.json) {
      return { update: () => undefined, stop: () => undefined };
    }
    const { default: ora } = await import('ora');
    // discardStdin false: ora otherwise holds stdin in raw mode, which delays Ctrl+C.
    const spinner = ora({
      text: this.redact(initial),
      stream: this.stderr as NodeJS.WritableStream,
      discardStdin: false,
      color: this.stderrChalk.level > 0 ? 'cyan' : false,
      isEnabled: true,
    }).start();
    this.spinner = spinner;
    return {
      update: (text: string) => {
        spinner.text = this.redact(text);
      },
      stop: () => {
        spinner.stop();
        this.spinner = null;
      },
    };
  }
}
