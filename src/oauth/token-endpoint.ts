// Front's /oauth/token: HTTP Basic client_id:client_secret, grant `authorization_code` or
// `refresh_token`, a JSON body as Front's docs show it. Over the one HTTP stack (src/http/).
// `invalid_grant` is final (revoked app, expired or spent refresh token): the caller re-reads the
// stored set once and then stops with the fix; anything else transient is retried a little.

import { AuthError, FrontUnavailableError } from '../errors.js';
import { describeNetworkFailure, createServiceHttp } from '../http/service-http.js';
import { backoffDelay } from '../shared/backoff.js';
import { abortableSleep, type Sleep } from '../shared/sleep.js';
import { InvalidGrantError, RECONNECT } from './errors.js';
import { tokenSetFromAnswer, type TokenSet } from './token-set.js';

export interface OAuthApp {
  /** e.g. https://app.frontapp.com (FRONT_OAUTH_URL). */
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
}

export type TokenGrant = Pick<TokenSet, 'accessToken' | 'refreshToken' | 'expiresAt' | 'obtainedAt'>;

export interface TokenEndpoint {
  exchangeCode(code: string, redirectUri: string): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
}


const ATTEMPTS = 3;

export function createTokenEndpoint(app: OAuthApp, opts: { clock: () => number; timeoutMs?: number; sleep?: Sleep; signal?: AbortSignal }): TokenEndpoint {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const http = createServiceHttp({ url: app.oauthUrl, timeoutMs, what: "Front's OAuth" });
  const url = new URL('/oauth/token', app.oauthUrl);
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
  const sleep = opts.sleep ?? abortableSleep;

  async function post(body: Record<string, string>, previousRefreshToken: string | null): Promise<TokenGrant> {
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      try {
        const response = await http.got.post(url, {
          headers: { authorization: `Basic ${basic}`, accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: opts.signal,
        });
        status = response.statusCode;
        text = response.body;
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        if (attempt >= ATTEMPTS) {
          throw new FrontUnavailableError(`cannot reach Front's OAuth at ${url.host} (${describeNetworkFailure(err, timeoutMs)}); check FRONT_OAUTH_URL and the network`);
        }
        await sleep(backoffDelay(attempt, 500), opts.signal);
        continue;
      }
      const json = parseJson(text);
      if (status === 200) return tokenSetFromAnswer(json, opts.clock(), previousRefreshToken);
      const error = oauthErrorCode(json) ?? `HTTP ${status}`;
      if (error === 'invalid_grant') {
        throw new InvalidGrantError(`Front refused the OAuth ${body.grant_type === 'refresh_token' ? 'refresh token' : 'authorization code'} (invalid_grant: the app was revoked, or the token expired or was already used); ${RECONNECT}`);
      }
      if (error === 'invalid_client' || status === 401) {
        throw new AuthError(`Front refused the OAuth app's client id or secret (${error}); check FRONT_OAUTH_CLIENT_ID and FRONT_OAUTH_CLIENT_SECRET (or front.oauth.clientId/clientSecret)`);
      }
      if (status >= 500 && attempt < ATTEMPTS) {
        await sleep(backoffDelay(attempt, 500), opts.signal);
        continue;
      }
      throw new FrontUnavailableError(`Front's OAuth token endpoint answered ${status} (${error})`);
    }
  }

  return {
    exchangeCode: (code, redirectUri) => post({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, null),
    refresh: (refreshToken) => post({ grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken),
  };
}

/**
 * The answer's OAuth error code (RFC 6749 5.2: `invalid_grant`, `server_error`...), and nothing else
 * of it: a proxy or a server quoting the request back (its Basic credentials, the refresh token)
 * would otherwise put them into the error message, the runs table and the log.
 */
function oauthErrorCode(json: unknown): string | null {
  const error = (json as { error?: unknown } | null)?.error;
  return typeof error === 'string' && /^[a-z][a-z0-9_]{0,63}$/i.test(error) ? error : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
