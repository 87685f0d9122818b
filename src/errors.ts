// Typed errors. Every failure a user can act on is one of these; `exitCodeFor` is the only place
// that turns an error into a process exit code (README "Exit codes" documents the same table).

export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  auth: 3,
  lock: 4,
  frontUnavailable: 5,
  destination: 6,
  /** The run finished, but a destination refused some items (4xx): they are kept as refused. */
  refused: 7,
  thresholdExceeded: 8,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * What each exit code means, in the words `--help` prints. The README's exit-code table says the
 * same at more length; a test checks the two list the same codes.
 */
export const EXIT_CODE_MEANINGS: Record<ExitCodeValue, string> = {
  [ExitCode.ok]: 'success',
  [ExitCode.unexpected]: 'unexpected error (a bug: run with --verbose and report it)',
  [ExitCode.usage]: 'usage, config, destination or state-file problem: the message names what to fix',
  [ExitCode.auth]: 'Front refused the token or a scope, or no token is set',
  [ExitCode.lock]: "another run holds the state file's lock",
  [ExitCode.frontUnavailable]: 'Front unreachable or failing after retries; progress is saved',
  [ExitCode.destination]: 'the destination failed while running; items stay pending',
  [ExitCode.refused]: 'the run finished, but a destination refused some items (see status)',
  [ExitCode.thresholdExceeded]: 'status: a --max-lag, --max-pending or --max-refused threshold is exceeded',
  [ExitCode.interrupted]: 'interrupted by SIGINT (Ctrl+C); progress is saved',
  [ExitCode.terminated]: 'stopped by SIGTERM; progress is saved',
};

export abstract class FrontImportError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** Short machine-readable kind, used in `--json` output and the runs table. */
  abstract readonly kind: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, bad arguments, bad config values. */
export class UsageError extends FrontImportError {
  readonly exitCode = ExitCode.usage;
  readonly kind = 'usage';
}

export class ConfigError extends FrontImportError {
  readonly exitCode = ExitCode.usage;
  readonly kind = 'config';
}

/** The local state file cannot be opened, migrated or written. */
export class StoreError extends FrontImportError {
  readonly exitCode = ExitCode.usage;
  readonly kind = 'store';
}

/** 401, or no token at all. */
export class AuthError extends FrontImportError {
  readonly exitCode = ExitCode.auth;
  readonly kind = 'auth';
}

/** 403: the token lacks a scope for `resource`. */
export class ScopeError extends FrontImportError {
  readonly exitCode = ExitCode.auth;
  readonly kind = 'scope';
  constructor(
    message: string,
    readonly resource: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class LockError extends FrontImportError {
  readonly exitCode = ExitCode.lock;
  readonly kind = 'lock';
}

/** Front kept failing (5xx, resets, timeouts, malformed bodies, 429s) after bounded retries. */
export class FrontUnavailableError extends FrontImportError {
  readonly exitCode = ExitCode.frontUnavailable;
  readonly kind = 'front_unavailable';
}

/** Front answered 4xx (other than 401/403/429) for a request we made, e.g. 404 on a deleted item. */
export class FrontRequestError extends FrontImportError {
  readonly exitCode = ExitCode.frontUnavailable;
  readonly kind = 'front_request';
  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Front's answer asked for something we refuse on principle, e.g. a `next` link to another host. */
export class FrontProtocolError extends FrontImportError {
  readonly exitCode = ExitCode.frontUnavailable;
  readonly kind = 'front_protocol';
}

/** Front refused on rate limit beyond what retrying may wait for. */
export class RateLimitError extends FrontImportError {
  readonly exitCode = ExitCode.frontUnavailable;
  readonly kind = 'rate_limit';
}

/** The destination refused or was unreachable after retries; the items stay pending. */
export class DestinationError extends FrontImportError {
  readonly exitCode = ExitCode.destination;
  readonly kind = 'destination';
}

/** SIGINT / SIGTERM: the run stopped after saving its progress. */
export class InterruptedError extends FrontImportError {
  readonly kind = 'interrupted';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}; progress saved, run the same command again to continue`);
  }
  get exitCode(): ExitCodeValue {
    return this.signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
  }
}

export function exitCodeFor(err: unknown): ExitCodeValue {
  return err instanceof FrontImportError ? err.exitCode : ExitCode.unexpected;
}

export function errorKind(err: unknown): string {
  return err instanceof FrontImportError ? err.kind : 'unexpected';
}

/** The `error` member of a failed `--json` result. */
export function errorObject(err: unknown): { kind: string; message: string } {
  return { kind: errorKind(err), message: err instanceof Error ? err.message : String(err) };
}
