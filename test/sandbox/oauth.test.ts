// The sandbox's Front OAuth switches the crash and race tests stand on (in-process, over HTTP):
// a held token request, before Front acts (a client gone by then changes nothing) or after (a
// rotating refresh token already spent); overlapping refreshes counted; a failing token endpoint;
// access tokens expired on demand; a typo in configureOAuth refused.

import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import { waitUntil } from '../helpers/reliability.ts';

let sandbox: SandboxHandle | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

async function rotating(): Promise<{ s: SandboxHandle; refreshToken: string; post: (body: Record<string, string>) => Promise<{ status: number; json: Record<string, string> }> }> {
  const s = await startSandbox({ seed: 5, conversations: 1, oauth: { refreshTokens: 'rotating', autoApprove: true } });
  sandbox = s;
  const basic = Buffer.from(`${s.oauth.clientId}:${s.oauth.clientSecret}`).toString('base64');
  const post = async (body: Record<string, string>) => {
    const answer = await fetch(`${s.url}/oauth/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: answer.status, json: (await answer.json()) as Record<string, string> };
  };
  const authorize = new URL('/oauth/authorize', s.url);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: s.oauth.clientId, redirect_uri: 'http://127.0.0.1:1/cb' })) authorize.searchParams.set(k, v);
  const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
  const granted = await post({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:1/cb' });
  return { s, refreshToken: granted.json.refresh_token!, post };
}

/** A refresh whose client hangs up once Front holds it. */
async function abandonedRefresh(s: SandboxHandle, refreshToken: string): Promise<void> {
  const basic = Buffer.from(`${s.oauth.clientId}:${s.oauth.clientSecret}`).toString('base64');
  const req = request(`${s.url}/oauth/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' } });
  req.on('error', () => undefined);
  req.end(JSON.stringify({ grant_type: 'refresh_token', refresh_token: refreshToken }));
  await waitUntil(() => s.control.oauthStats().held === 1, 5000, 'the refresh held');
  req.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('sandbox OAuth: held, failing and overlapping token requests', () => {
  it("hold 'request': a client gone before Front acted spends nothing; hold 'answer': Front rotated before the answer was lost", async () => {
    const { s, refreshToken, post } = await rotating();
    s.control.configureOAuth({ hold: 'request' });
    await abandonedRefresh(s, refreshToken);
    s.control.configureOAuth({ hold: 'none' });
    const fine = await post({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(fine.status).toBe(200);

    s.control.configureOAuth({ hold: 'answer' });
    await abandonedRefresh(s, fine.json.refresh_token!);
    // The held answer goes to a closed socket; later requests are not held any more.
    s.control.releaseOAuth();
    s.control.configureOAuth({ hold: 'none' });
    const spent = await post({ grant_type: 'refresh_token', refresh_token: fine.json.refresh_token! });
    expect(spent).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(s.control.oauthStats()).toMatchObject({ refreshes: 2, invalidGrants: 1, held: 0 });
    expect(s.control.oauthIssued().refreshTokens).toHaveLength(3);
  });

  it('counts refreshes Front handles at one time (2 when two overlap), and errorStatus fails token requests', async () => {
    const { s, refreshToken, post } = await rotating();
    s.control.configureOAuth({ hold: 'request' });
    const both = [post({ grant_type: 'refresh_token', refresh_token: refreshToken }), post({ grant_type: 'refresh_token', refresh_token: refreshToken })];
    await waitUntil(() => s.control.oauthStats().held === 2, 5000, 'both refreshes held');
    s.control.configureOAuth({ hold: 'none' });
    expect((await Promise.all(both)).map((a) => a.status).sort()).toEqual([200, 400]);
    expect(s.control.oauthStats()).toMatchObject({ peakConcurrentRefreshes: 2, invalidGrants: 1 });

    // expireOAuth: the access token answers 401 at once; the live refresh token still refreshes.
    const live = (await Promise.all(both)).find((a) => a.status === 200)!.json;
    const me = () => fetch(`${s.url}/me`, { headers: { authorization: `Bearer ${live.access_token}` } }).then((r) => r.status);
    expect(await me()).toBe(200);
    s.control.expireOAuth();
    expect(await me()).toBe(401);
    expect((await post({ grant_type: 'refresh_token', refresh_token: live.refresh_token! })).status).toBe(200);

    s.control.configureOAuth({ errorStatus: 500 });
    expect(await post({ grant_type: 'refresh_token', refresh_token: 'any' })).toMatchObject({ status: 500, json: { error: 'server_error' } });
    expect(s.control.oauthStats().failedRequests).toBe(1);
    expect(() => s.control.configureOAuth({ hodl: 'request' } as never)).toThrow(/unknown key "hodl".*hold/);
    expect(() => s.control.configureOAuth({ hold: 'later' } as never)).toThrow(/hold must be one of none, request, answer/);
  });
});
