// How a run ended, in the one vocabulary that the runs table (`status`), `--json` summaries and
// monitors share. A process that died without finishing its run is recorded as interrupted when
// the next run takes the lock.

import { InterruptedError } from '../errors.js';

export type RunOutcome = 'success' | 'partial' | 'failed' | 'interrupted';

/**
 * `failure`: what the run threw (null when it did not); `complete`: false when it stopped early on
 * purpose (--limit), leaving work for the next run.
 */
export function runOutcome(failure: unknown, complete: boolean | undefined): RunOutcome {
  if (failure) return failure instanceof InterruptedError ? 'interrupted' : 'failed';
  return complete === false ? 'partial' : 'success';
}
