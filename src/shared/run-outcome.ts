// How a run ended, in the one vocabulary that the runs table (`status`), `--json` summaries and
// monitors share. A process that died without finishing its run is recorded as interrupted when
// the next run takes the lock.

import { ExitCode, InterruptedError, errorObject, exitCodeFor } from '../errors.js';

export type RunOutcome = 'success' | 'partial' | 'failed' | 'interrupted';

/**
 * `failure`: what the run threw (null when it did not); `complete`: false when it stopped early on
 * purpose (--limit), leaving work for the next run.
 */
export function runOutcome(failure: unknown, complete: boolean | undefined): RunOutcome {
  if (failure) return failure instanceof InterruptedError ? 'interrupted' : 'failed';
  return complete === false ? 'partial' : 'success';
}

/** Exit code of a run: its failure's, else 7 when a destination refused items (the rest went through), else 0. */
export function runExitCode(failure: unknown, refused: number): number {
  if (failure) return exitCodeFor(failure);
  return refused > 0 ? ExitCode.refused : ExitCode.ok;
}

export interface RunHead {
  outcome: RunOutcome;
  exitCode: number;
  /** The failure's kind and message; null when the run did not fail. */
  error: { kind: string; message: string } | null;
}

/** How a run ended, as every command's `--json` result starts (success and failure alike). */
export function runHead(failure: unknown, complete: boolean | undefined, refused: number): RunHead {
  return { outcome: runOutcome(failure, complete), exitCode: runExitCode(failure, refused), error: failure ? errorObject(failure) : null };
}
