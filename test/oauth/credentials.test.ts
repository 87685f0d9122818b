// OAuth credentials in-process over the sandbox's Front app and a virtual clock: Front's token
// answer read in every reading, refreshes that never race (in one process and between "processes"
// sharing a vault and a lock), invalid_grant with no loop, and the encrypted state vault.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, UsageError } from '../../src/errors.ts';
import { codeFromAnswer } from '../../src/oauth/authorize.ts';
import { oauthCredentials, type RefreshLock } from '../../src/oauth/credentials.ts';
import { InvalidGrantError } from '../../src/oauth/errors.ts';
import { createOAuthCredentials, tokenVault } from '../../src/oauth/index.ts';
import { createTokenEndpoint } from '../../src/oauth/token-endpoint.ts';
import { refreshDue, tokenSetFromAnswer, type TokenSet } from '../../src/oauth/token-set.ts';
import { stateVault, type TokenVault } from '../../src/oauth/vault.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import type { StoreLocation } from '../../src/store/location.ts';
import { openStore as openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { useTempDirs } from '../store/helpers.ts';

const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
let sandbox: SandboxHandle | null = null;
const tempDir = useTempDirs();
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

describe("Front's token answer", () => {
  it('reads expires_at in seconds (Front), in milliseconds, and expires_in (generic); keeps the refresh token when none comes back', () => {
    expect(tokenSetFromAnswer({ access_token: 'a', refresh_token: 'r', expires_at: T0 / 1000 + 3600 }, T0, null).expiresAt).toBe(T0 + 3_600_000);
    expect(tokenSetFromAnswer({ access_token: 'a', refresh_token: 'r', expires_at: T0 + 3_600_000 }, T0, null).expiresAt).toBe(T0 + 3_600_000);
    expect(tokenSetFromAnswer({ access_token: 'a', refresh_token: 'r', expires_in: 3600 }, T0, null).expiresAt).toBe(T0 + 3_600_000);
    expect(tokenSetFromAnswer({ access_token: 'a', expires_at: T0 / 1000 + 60 }, T0, 'old').refreshToken).toBe('old');
    expect(() => tokenSetFromAnswer({ access_token: 'a', refresh_token: 'r' }, T0, null)).toThrow(/neither expires_at nor expires_in/);
  });

  it('refreshes when less than min(5 minutes, half the lifetime) is left', () => {
    const hour = { expiresAt: T0 + 3_600_000, obtainedAt: T0 } as TokenSet;
    expect(refreshDue(hour, T0 + 3_600_000 - 5 * 60_000 - 1)).toBe(false);
    expect(refreshDue(hour, T0 + 3_600_000 - 5 * 60_000 + 1)).toBe(true);
    const short = { expiresAt: T0 + 2_000, obtainedAt: T0 } as TokenSet;
    expect(refreshDue(short, T0 + 999)).toBe(false);
    expect(refreshDue(short, T0 + 1_001)).toBe(true);
  });
});

describe('the answer pasted into connect --oauth --no-browser', () => {
  it('takes the redirected URL with its state checked, or the bare code', () => {
    expect(codeFromAnswer('http://127.0.0.1:8484/oauth/callback?code=abc&state=s1', 's1')).toBe('abc');
    expect(codeFromAnswer('  abc \n', 's1')).toBe('abc');
    expect(() => codeFromAnswer('http://127.0.0.1:8484/oauth/callback?code=abc&state=other', 's1')).toThrow(/state does not match/);
    expect(() => codeFromAnswer('http://127.0.0.1:8484/oauth/callback?error=access_denied&state=s1', 's1')).toThrow(/did not authorize.*access_denied/);
  });
});

/** One shared vault and one mutex: what two processes on one state see. */
function shared() {
  let stored: TokenSet | null = null;
  let tail = Promise.resolve();
  const vault: TokenVault = {
    where: 'memory',
    read: async () => (stored ? { ...stored } : null),
    write: async (set) => {
      stored = { ...set };
    },
    clear: async () => {
      stored = null;
      return true;
    },
  };
  const lock: RefreshLock = (fn) => {
    const run = tail.then(fn);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  return { vault, lock, get: () => stored };
}

async function connected(refreshTokens: 'same' | 'rotating') {
  let now = T0;
  sandbox = await startSandbox({ seed: 3, conversations: 1, rateLimit: false, now: () => now, oauth: { lifetimeMs: 60_000, refreshTokens, autoApprove: true } });
  const app = { oauthUrl: sandbox.url, clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret };
  const endpoint = createTokenEndpoint(app, { clock: () => now });
  const authorize = new URL('/oauth/authorize', sandbox.url);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: app.clientId, redirect_uri: 'http://127.0.0.1:1/cb' })) authorize.searchParams.set(k, v);
  const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
  const grant = await endpoint.exchangeCode(code, 'http://127.0.0.1:1/cb');
  const world = shared();
  await world.vault.write({ ...grant, refreshedAt: now, clientId: app.clientId, apiUrl: sandbox.url });
  const credentials = () => oauthCredentials({ vault: world.vault, endpoint, clock: () => now, lock: world.lock });
  return { world, credentials, advance: (ms: number) => (now += ms), stats: () => sandbox!.control.oauthStats() };
}

describe('OAuth credentials', () => {
  it('twenty requests at an expiry cause one refresh, and the new set is stored before it is used', async () => {
    const w = await connected('same');
    const creds = w.credentials();
    const first = await creds.header();
    w.advance(59_000);
    const headers = await Promise.all(Array.from({ length: 20 }, () => creds.header()));
    expect(new Set(headers).size).toBe(1);
    expect(headers[0]).not.toBe(first);
    expect(w.stats().refreshes).toBe(1);
    expect(`Bearer ${w.world.get()!.accessToken}`).toBe(headers[0]);
  });

  it('two processes renewing after the same 401 with rotating refresh tokens: one refresh, no invalid_grant', async () => {
    const w = await connected('rotating');
    const a = w.credentials();
    const b = w.credentials();
    const used = await a.header();
    expect(await b.header()).toBe(used);
    await Promise.all([a.renew(used), b.renew(used)]);
    expect(w.stats()).toMatchObject({ refreshes: 1, invalidGrants: 0 });
    expect(await a.header()).toBe(await b.header());
    // Ten more lifetimes, both processes asking: every refresh once, none refused.
    for (let i = 0; i < 10; i++) {
      w.advance(60_000);
      await Promise.all([a.header(), b.header(), a.header()]);
    }
    expect(w.stats()).toMatchObject({ refreshes: 11, invalidGrants: 0 });
  });

  it('a revoked app: one refused refresh, then AuthError with the fix; no loop', async () => {
    const w = await connected('rotating');
    const creds = w.credentials();
    const used = await creds.header();
    sandbox!.control.revokeOAuth();
    const err = await creds.renew(used).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidGrantError);
    expect(err).toBeInstanceOf(AuthError);
    expect(String((err as Error).message)).toMatch(/run `front-import connect --oauth` again/);
    expect(w.stats().invalidGrants).toBe(1);
  });
});

describe("Front's token endpoint failing", () => {
  it('an answer quoting the request back (Basic credentials, refresh token) puts none of it in the error; only an OAuth error code is named', async () => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        const quoted = `${req.headers.authorization} ${body}`;
        const status = body.includes('quote-500') ? 500 : 400;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `refused ${quoted}`, error_description: quoted }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const app = { oauthUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, clientId: 'client-id-1', clientSecret: 'client-secret-0123456789' };
      const endpoint = createTokenEndpoint(app, { clock: Date.now, sleep: async () => undefined });
      const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
      for (const refreshToken of ['refresh-token-0123456789', 'quote-500-refresh-token-0123456789']) {
        const err = (await endpoint.refresh(refreshToken).catch((e: unknown) => e)) as Error;
        expect(err.message).toMatch(/Front's OAuth token endpoint answered (400|500) \(HTTP (400|500)\)/);
        for (const secret of [basic, app.clientSecret, refreshToken]) expect(err.message).not.toContain(secret);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the token set in a shared state', () => {
  it('a refresh on a shared (PostgreSQL-kind) state opens the store once for the lock and the sealed set inside it, and releases the lock', async () => {
    let now = T0;
    sandbox = await startSandbox({ seed: 4, conversations: 1, rateLimit: false, now: () => now, oauth: { lifetimeMs: 60_000, refreshTokens: 'rotating', autoApprove: true } });
    const dir = tempDir();
    let opens = 0;
    let open = 0;
    const openStore = async () => {
      opens++;
      open++;
      const store = openSqliteStore(join(dir, 'state.db'));
      const close = store.close.bind(store);
      return Object.assign(store, {
        close: async () => {
          open -= 1;
          await close();
        },
      });
    };
    const settings = { clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret, redirectUri: 'http://127.0.0.1:1/cb', url: sandbox.url };
    const env = { FRONT_IMPORT_SECRET_KEY: 'k'.repeat(32) };
    // Only the kind is read: a PostgreSQL state keeps the set in the state (here a SQLite file stands in).
    const deps = { settings, apiUrl: sandbox.url, store: { kind: 'postgres' } as StoreLocation, env, clock: () => now, openStore };
    const endpoint = createTokenEndpoint({ oauthUrl: sandbox.url, clientId: settings.clientId, clientSecret: settings.clientSecret }, { clock: () => now });
    const authorize = new URL('/oauth/authorize', sandbox.url);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: settings.clientId, redirect_uri: settings.redirectUri })) authorize.searchParams.set(k, v);
    const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const grant = await endpoint.exchangeCode(code, settings.redirectUri);
    await (await tokenVault(deps)).write({ ...grant, refreshedAt: now, clientId: settings.clientId, apiUrl: sandbox.url });

    const credentials = await createOAuthCredentials(deps);
    await credentials.header();
    now += 59_000;
    opens = 0;
    const header = await credentials.header();
    expect(sandbox.control.oauthStats().refreshes).toBe(1);
    expect(opens).toBe(1);
    expect(open).toBe(0);
    expect(header).toBe(`Bearer ${(await (await tokenVault(deps)).read())!.accessToken}`);
    const store = openSqliteStore(join(dir, 'state.db'));
    try {
      expect(await store.lockHolder('oauth')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('is sealed: the stored value holds no token, and another key cannot open it', async () => {
    const meta = new Map<string, unknown>();
    const store = {
      getMeta: async <T,>(k: string) => meta.get(k) as T | undefined,
      setMeta: async (k: string, v: unknown) => void meta.set(k, v),
      deleteMeta: async (k: string) => void meta.delete(k),
    };
    const set: TokenSet = { accessToken: 'access-123', refreshToken: 'refresh-456', expiresAt: T0, obtainedAt: T0, refreshedAt: T0, clientId: 'c', apiUrl: 'u' };
    await stateVault(store, 'k'.repeat(32), 'the state').write(set);
    expect(JSON.stringify([...meta.values()])).not.toMatch(/access-123|refresh-456/);
    expect(await stateVault(store, 'k'.repeat(32), 'the state').read()).toEqual(set);
    await expect(stateVault(store, 'x'.repeat(32), 'the state').read()).rejects.toThrow(UsageError);
    expect(() => stateVault(store, 'short', 'the state')).toThrow(/at least 32 characters/);
  });
});
