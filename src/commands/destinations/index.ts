// `front-import destinations forget DEST`: removes the delivery state of a destination nothing
// delivers to any more (an earlier `--to`, a receiver that was retired): its delivered, pending and
// refused items, open batches and sync cursor. Its pending items would otherwise count against
// `status --max-pending` for ever, and `status` would list it on every call. The conversations stay
// in the state (other destinations share them). A destination a configured subscription delivers
// to is refused without --force: the next run would send it everything in its window again.

import type { CommandContext } from '../../context/index.js';
import { count } from '../../terminal/plural.js';
import { parseTo } from '../../config/destination.js';
import { resolveUserPath } from '../../config/user-path.js';
import { canonicalUrl, destinationKey, STDOUT_KEY } from '../../config/destination-key.js';
import { ConfigError, ExitCode } from '../../errors.js';
import { takeImportLock, underDeliveryLock } from '../../pipeline/index.js';
import { maskUrl } from '../../shared/secret-params.js';
import { syncCursorFor } from '../../store/keys.js';
import { describeLocation } from '../../store/location.js';
import { stateExists } from '../../store/open-store.js';

export interface ForgetOptions {
  /** As the user typed it: a URL (as written, or as `status` shows it), a file path, or `-`/stdout. */
  destination: string;
  force: boolean;
  json: boolean;
}

export async function runDestinationsForget(opts: ForgetOptions, ctx: CommandContext): Promise<number> {
  const { config, io } = ctx;
  if (!(await stateExists(config.store))) throw new ConfigError(`no state at ${describeLocation(config.store)}: no destination to forget`);
  const store = await ctx.openStore();
  try {
    await takeImportLock(store, 'destinations forget', (line) => io.warn(line));
    try {
      const stored = await store.destinations();
      const key = findStored(opts.destination, stored, ctx.cwd, ctx.homeDir);
      if (key === null) {
        const known = stored.length === 0 ? 'none' : stored.map(maskUrl).join(', ');
        throw new ConfigError(`destinations forget: the state holds no delivery state for ${quoteArg(opts.destination)}; destinations it holds: ${known}`);
      }
      const shown = maskUrl(key);
      const subscription = config.subscriptions.find((s) => destinationKey(s.destination) === key);
      if (subscription && !opts.force) {
        throw new ConfigError(
          `destinations forget: ${shown} is where subscription ${subscription.name} delivers (${config.configPath ?? 'the environment or flags'}); ` +
            'take it out of the config first, or pass --force to forget it anyway (its next run sends it everything in its window again)',
        );
      }
      const removed = await underDeliveryLock(store, { command: 'destinations forget', signal: ctx.signal, warn: (line) => io.warn(line) }, () =>
        store.forgetDestination(key, syncCursorFor(key)),
      );
      if (opts.json) {
        io.result({ ok: true, destination: shown, subscription: subscription?.name ?? null, removed });
      } else {
        const cursor = removed.cursor ? ' and its sync cursor' : '';
        io.info(
          `forgot ${shown}: ${removed.delivered} delivered, ${removed.pending} pending and ${removed.refused} refused item(s), ` +
            `${count(removed.batches, 'open batch', 'open batches')}${cursor}; the stored conversations stay`,
        );
      }
      return ExitCode.ok;
    } finally {
      await store.releaseLock('import');
    }
  } finally {
    await store.close();
  }
}

/** The stored identity the argument names: exactly, as `status` shows it (secrets masked), or as a URL or path would be stored. */
/** `cwd`: where a relative file path is resolved from. */
function findStored(arg: string, stored: readonly string[], cwd: string, homeDir: string): string | null {
  const exact = stored.find((d) => d === arg || maskUrl(d) === arg);
  if (exact !== undefined) return exact;
  let candidate: string;
  try {
    const target = parseTo(arg === STDOUT_KEY ? '-' : arg, () => false);
    candidate = target.kind === 'http' ? canonicalUrl(target.url) : target.path === '-' ? STDOUT_KEY : resolveUserPath(target.path, cwd, homeDir);
  } catch {
    return null;
  }
  return stored.find((d) => d === candidate) ?? null;
}

function quoteArg(arg: string): string {
  return JSON.stringify(maskUrl(arg));
}
