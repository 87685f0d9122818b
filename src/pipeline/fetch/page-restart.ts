// Page tokens Front stops accepting. A checkpoint saved by a run that stopped mid-stream holds a
// page token; if Front has expired it by the next run (400 "page_token has expired"), following it
// fails forever. So a refused token restarts its stage from the last time the stage is known to
// have persisted, with an overlap, once per stage and run; a second refusal is a real failure.

import { FrontRequestError } from '../../errors.js';

/**
 * Events re-read before the safe time: events sharing the boundary's second, and events Front
 * indexes a little late. Re-reading is harmless (the store keeps the newest message per
 * conversation and unchanged versions are not sent again).
 */
export const RESTART_OVERLAP_SECONDS = 60;

export function isRefusedPageToken(err: unknown): boolean {
  return err instanceof FrontRequestError && err.status === 400 && /page.?token/i.test(err.message);
}

/**
 * Runs `walk(restarted)` and, when a page token is refused the first time, says so and runs it
 * once more with `restarted` true.
 */
export async function* restartingOnce<T>(walk: (restarted: boolean) => AsyncGenerator<T>, say: (err: Error) => void): AsyncGenerator<T> {
  try {
    yield* walk(false);
  } catch (err) {
    if (!isRefusedPageToken(err)) throw err;
    say(err as Error);
    yield* walk(true);
  }
}
