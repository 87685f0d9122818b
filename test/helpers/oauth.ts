// OAuth set-up shared by the tests that run the command line against the sandbox's Front app: the
// environment that makes a run use OAuth instead of an API token, the code an admin's browser
// would carry back, `connect --oauth --no-browser` in-process with that code on stdin, where the
// token set file is, and a wait for a (compressed) access token to run out on the real clock.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Env, RunResult } from './cli.ts';
import type { Scenario } from './e2e.ts';
import { startCli } from './run-cli.ts';

export const REDIRECT = 'http://127.0.0.1:8484/oauth/callback';

/** A key for the PostgreSQL state's sealed token set (FRONT_IMPORT_SECRET_KEY). */
export const SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';

/** Runs authenticate with the sandbox's Front app (no API token), keeping the set in the 0600 file. */
export function oauthEnv(s: Scenario): Env {
  return {
    FRONT_API_TOKEN: undefined,
    FRONT_OAUTH_URL: s.sandbox.url,
    FRONT_OAUTH_CLIENT_ID: s.sandbox.oauth.clientId,
    FRONT_OAUTH_CLIENT_SECRET: s.sandbox.oauth.clientSecret,
    // No desktop keychain in a test: the token set goes to the 0600 file (or the PostgreSQL state).
    FRONT_IMPORT_KEYRING: 'off',
  };
}

/** What the admin's browser would carry back: the code of an approved authorization (the sandbox auto-approves). */
export async function approvedCode(s: Scenario): Promise<string> {
  const url = new URL('/oauth/authorize', s.sandbox.url);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: s.sandbox.oauth.clientId, redirect_uri: REDIRECT, state: 'test' })) url.searchParams.set(k, v);
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!).searchParams.get('code')!;
}

/** `connect --oauth --no-browser` in-process in `dir` with an approved code on stdin; fails the test unless it exits 0. */
export async function connectOAuth(s: Scenario, dir: string, env: Env): Promise<RunResult> {
  const t0 = Date.now();
  const r = await startCli(['connect', '--oauth', '--no-browser'], { cwd: dir, env, stdin: `${await approvedCode(s)}\n` }).done;
  expect(r.exitCode, r.stderr).toBe(0);
  return { code: r.exitCode, signal: null, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** The 0600 file vault under this config dir (XDG_CONFIG_HOME). */
export function tokenFile(configHome: string): string {
  const dir = join(configHome, 'front-import');
  const name = readdirSync(dir).find((f) => f.startsWith('oauth-') && f.endsWith('.json'));
  expect(name, 'no OAuth token file was written').toBeDefined();
  return join(dir, name!);
}

export function storedSet(file: string): { accessToken: string; refreshToken: string } {
  return JSON.parse(readFileSync(file, 'utf8')) as { accessToken: string; refreshToken: string };
}

/** Real time, because a spawned binary's clock is the real one: an access token's whole (compressed) lifetime and a margin. */
export const outlive = (lifetimeMs: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, lifetimeMs + 50));

/** Every OAuth secret a scan must not find: each access and refresh token the sandbox issued, the client secret and its Basic form. */
export function oauthSecrets(s: Scenario): Record<string, string> {
  const issued = s.sandbox.control.oauthIssued();
  const { clientId, clientSecret } = s.sandbox.oauth;
  return {
    ...Object.fromEntries(issued.accessTokens.map((t, i) => [`access token ${i + 1}`, t])),
    ...Object.fromEntries(issued.refreshTokens.map((t, i) => [`refresh token ${i + 1}`, t])),
    'client secret': clientSecret,
    'client id:secret in Basic form': Buffer.from(`${clientId}:${clientSecret}`).toString('base64'),
  };
}
