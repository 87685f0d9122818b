// OAuth credentials for the Front client: an access token refreshed before it expires (less than
// min(5 minutes, half its lifetime) left) and once after a 401. Refreshes never race: one promise
// per process, and across processes and machines a lock in the state store, under which the
// stored set is read again first (another process may have refreshed it already). The new set is
// written to the vault, durably, before its access token is used, so a crash never leaves only a
// spent refresh token. invalid_grant: the stored set is read once more, then exit 3 with the fix.

import { AuthError } from '../errors.js';
import type { FrontCredentials } from '../front/credentials.js';
import { InvalidGrantError, RECONNECT } from './errors.js';
import type { TokenEndpoint, TokenGrant } from './token-endpoint.js';
import { refreshDue, type TokenSet } from './token-set.js';
import type { TokenVault } from './vault.js';

/** Runs `fn` holding the cross-process refresh lock. */
export type RefreshLock = <T>(fn: () => Promise<T>) => Promise<T>;

export interface OAuthCredentialsDeps {
  vault: TokenVault;
  endpoint: TokenEndpoint;
  clock: () => number;
  lock: RefreshLock;
  log?: (line: string) => void;
}

export function oauthCredentials(deps: OAuthCredentialsDeps): FrontCredentials & { refreshes(): number } {
  const listeners: ((secret: string) => void)[] = [];
  let current: TokenSet | null = null;
  let inflight: Promise<TokenSet> | null = null;
  let refreshes = 0;

  const adopt = (set: TokenSet): TokenSet => {
    if (set.accessToken !== current?.accessToken || set.refreshToken !== current?.refreshToken) {
      for (const listener of listeners) {
        listener(set.accessToken);
        listener(set.refreshToken);
      }
    }
    current = set;
    return set;
  };

  const stored = async (): Promise<TokenSet> => {
    const set = await deps.vault.read();
    if (!set) throw new AuthError(`no OAuth token set is stored (${deps.vault.where}); ${RECONNECT}`);
    return set;
  };

  /** A set newer than `stale`: the vault's when another process refreshed, else a refresh of ours. */
  const refresh = (stale: string, force: boolean): Promise<TokenSet> =>
    (inflight ??= deps
      .lock(async () => {
        const latest = await stored();
        if (latest.accessToken !== stale && !refreshDue(latest, deps.clock())) return latest;
        if (!force && !refreshDue(latest, deps.clock())) return latest;
        let grant: TokenGrant;
        try {
          grant = await deps.endpoint.refresh(latest.refreshToken);
        } catch (err) {
          if (!(err instanceof InvalidGrantError)) throw err;
          // Another process (outside this lock: another machine's own vault) may have used it.
          const again = await stored();
          if (again.refreshToken !== latest.refreshToken && !refreshDue(again, deps.clock())) return again;
          throw err;
        }
        const now = deps.clock();
        const next: TokenSet = { ...latest, ...grant, refreshedAt: now };
        await deps.vault.write(next);
        refreshes++;
        deps.log?.(`OAuth: access token refreshed; it expires at ${new Date(next.expiresAt).toISOString()}`);
        return next;
      })
      .then(adopt)
      .finally(() => {
        inflight = null;
      }));

  return {
    renewable: true,
    async header() {
      const set = current ?? adopt(await stored());
      const usable = refreshDue(set, deps.clock()) ? await refresh(set.accessToken, false) : set;
      return `Bearer ${usable.accessToken}`;
    },
    async renew(refused) {
      const token = refused.replace(/^Bearer\s+/i, '');
      if (current && current.accessToken !== token) return;
      await refresh(token, true);
    },
    onSecret(listener) {
      listeners.push(listener);
      if (current) {
        listener(current.accessToken);
        listener(current.refreshToken);
      }
    },
    refreshes: () => refreshes,
  };
}
