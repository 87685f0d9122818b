// OAuth for the Front client (issue 20): the vault a token set lives in, the refresh lock, and the
// credentials the client authenticates with. Commands reach OAuth only through this entry.

import type { FrontOAuthSettings } from '../config/types.js';
import type { StoreLocation } from '../store/location.js';
import { LockError, UsageError } from '../errors.js';
import type { FrontCredentials } from '../front/credentials.js';
import { abortableSleep } from '../shared/sleep.js';
import type { Store } from '../store/roles.js';
import { oauthCredentials, type RefreshLock } from './credentials.js';
import type { TokenEndpoint } from './token-endpoint.js';
import type { TokenVault } from './vault.js';

export { RECONNECT, InvalidGrantError } from './errors.js';
export type { TokenSet } from './token-set.js';
export type { TokenVault } from './vault.js';

export interface OAuthDeps {
  settings: FrontOAuthSettings;
  apiUrl: string;
  store: StoreLocation;
  env: Record<string, string | undefined>;
  clock: () => number;
  /** Opens the state store (a new handle each call; the caller closes it). */
  openStore: () => Promise<Store>;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** True when a Front app is configured (client id and secret), i.e. OAuth is how this config authenticates. */
export function oauthConfigured(settings: FrontOAuthSettings): boolean {
  return Boolean(settings.clientId && settings.clientSecret);
}

/** Runs `fn` with the state store, opened for it or shared with whoever has it open now. */
type WithStore = <T>(fn: (store: Store) => Promise<T>) => Promise<T>;

/**
 * The state store opened once for whoever needs it at the time (the refresh lock, and the state
 * vault's reads and writes inside it) and closed when the last one lets go: a PostgreSQL open is
 * several connections and a migration check, three times per refresh otherwise.
 */
function storeOnDemand(openStore: () => Promise<Store>): WithStore {
  let shared: Promise<Store> | null = null;
  let users = 0;
  return async (fn) => {
    users++;
    shared ??= openStore();
    const opening = shared;
    try {
      return await fn(await opening);
    } finally {
      users--;
      if (users === 0) {
        shared = null;
        await opening.then(
          (store) => store.close(),
          () => undefined,
        );
      }
    }
  };
}

/** Where this config's token set lives. PostgreSQL state: in the state, encrypted (the key is required). */
export async function tokenVault(
  deps: Pick<OAuthDeps, 'settings' | 'apiUrl' | 'store' | 'env' | 'openStore'>,
  withStore: WithStore = storeOnDemand(deps.openStore),
): Promise<TokenVault> {
  // Loaded here, not with this module: it brings node:crypto, which `status` and `config` with an
  // API token (they only ask describeCredential) would load for nothing.
  const { defaultTokenFile, fileVault, keyringVault, stateVault, vaultKey } = await import('./vault.js');
  const key = vaultKey(deps.settings.clientId ?? '', deps.apiUrl);
  if (deps.store.kind === 'postgres') {
    const secretKey = deps.env.FRONT_IMPORT_SECRET_KEY;
    if (!secretKey) {
      throw new UsageError(
        'the state is PostgreSQL, so the OAuth token set is kept in it, encrypted, for every machine that shares it: set FRONT_IMPORT_SECRET_KEY (the same on each machine, e.g. `openssl rand -base64 32`)',
      );
    }
    return sharedStateVault(withStore, (store) => stateVault(store, secretKey, `the state (${store.location}), encrypted`));
  }
  if (deps.env.FRONT_IMPORT_KEYRING !== 'off') {
    const keyring = await keyringVault(key);
    if (keyring) return keyring;
  }
  return fileVault(defaultTokenFile(deps.env, key));
}

function sharedStateVault(withStore: WithStore, vaultIn: (store: Store) => TokenVault): TokenVault {
  const inState = <T>(fn: (vault: TokenVault) => Promise<T>): Promise<T> => withStore((store) => fn(vaultIn(store)));
  return {
    where: 'the state, encrypted with FRONT_IMPORT_SECRET_KEY',
    read: () => inState((vault) => vault.read()),
    write: (set) => inState((vault) => vault.write(set)),
    clear: () => inState((vault) => vault.clear()),
  };
}

const LOCK_POLL_MS = 100;
const LOCK_WAIT_MS = 60_000;

/** The refresh lock: the state store's 'oauth' lock, waited for while another process refreshes. */
function stateLock(withStore: WithStore, clock: () => number, signal?: AbortSignal, log?: (line: string) => void): RefreshLock {
  return (fn) =>
    withStore(async (store) => {
      const until = clock() + LOCK_WAIT_MS;
      for (let waited = false; ; waited = true) {
        try {
          await store.acquireLock('oauth', 'oauth-refresh');
          break;
        } catch (err) {
          if (!(err instanceof LockError) || clock() > until) throw err;
          // Said once per wait (--verbose): a run that seems to stand still is waiting for a refresh elsewhere.
          if (!waited) log?.('OAuth: another process is refreshing the access token; waiting for its token set');
          await abortableSleep(LOCK_POLL_MS, signal);
        }
      }
      try {
        return await fn();
      } finally {
        await store.releaseLock('oauth');
      }
    });
}

/** Front's token endpoint; loaded when a token is exchanged or refreshed (it brings the HTTP stack). */
export async function tokenEndpoint(deps: Pick<OAuthDeps, 'settings' | 'clock' | 'signal'>): Promise<TokenEndpoint> {
  const { createTokenEndpoint } = await import('./token-endpoint.js');
  const { clientId, clientSecret, url } = deps.settings;
  return createTokenEndpoint({ oauthUrl: url, clientId: clientId ?? '', clientSecret: clientSecret ?? '' }, { clock: deps.clock, signal: deps.signal });
}

export async function createOAuthCredentials(deps: OAuthDeps): Promise<FrontCredentials> {
  // The lock and the vault inside it share one open store.
  const withStore = storeOnDemand(deps.openStore);
  return oauthCredentials({
    vault: await tokenVault(deps, withStore),
    endpoint: await tokenEndpoint(deps),
    clock: deps.clock,
    lock: stateLock(withStore, deps.clock, deps.signal, deps.log),
    log: deps.log,
  });
}

/** Front lets an unused refresh token lapse after six months: warn a month before. */
export const REFRESH_WARN_DAYS = 150;
const DAY_MS = 86_400_000;

export type CredentialReport =
  | { kind: 'api-token'; source: string }
  | { kind: 'oauth'; storedIn: string; accessTokenExpiresAt: string | null; refreshTokenAgeDays: number | null; warning: string | null }
  | { kind: 'none' };

/** Which credential a run would use, from where, and (OAuth) how long it has left: for connect, config and status. */
export async function describeCredential(
  deps: Pick<OAuthDeps, 'settings' | 'apiUrl' | 'store' | 'env' | 'openStore'> & { token: string | null; tokenSource: string },
  now: number,
): Promise<CredentialReport> {
  if (deps.token) return { kind: 'api-token', source: deps.tokenSource };
  if (!oauthConfigured(deps.settings)) return { kind: 'none' };
  const vault = await tokenVault(deps);
  const set = await vault.read();
  const ageDays = set ? Math.floor((now - set.refreshedAt) / DAY_MS) : null;
  const warning =
    ageDays === null
      ? 'no OAuth token set is stored yet; run `front-import connect --oauth`'
      : ageDays >= REFRESH_WARN_DAYS
        ? `the OAuth refresh token was last used ${ageDays} days ago; Front lets it lapse after six months unused: run a sync, or \`front-import connect --oauth\` again`
        : null;
  return {
    kind: 'oauth',
    storedIn: vault.where,
    accessTokenExpiresAt: set ? new Date(set.expiresAt).toISOString() : null,
    refreshTokenAgeDays: ageDays,
    warning,
  };
}

export function credentialLine(c: CredentialReport): string {
  switch (c.kind) {
    case 'api-token':
      return `API token (${c.source})`;
    case 'none':
      return 'none (set FRONT_API_TOKEN, or run `front-import connect --oauth`)';
    case 'oauth':
      return c.accessTokenExpiresAt === null
        ? `OAuth, nothing stored yet in ${c.storedIn}`
        : `OAuth (token set in ${c.storedIn}; access token expires at ${c.accessTokenExpiresAt}; refresh token used ${c.refreshTokenAgeDays} day(s) ago)`;
  }
}
