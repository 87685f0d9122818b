// Front's OAuth, as its developer docs describe it and where they are silent in every reading:
// authorization-code grant only (no PKCE), `/oauth/authorize` (an approve page, or at once when a
// test switches `autoApprove` on), `/oauth/token` with HTTP Basic client_id:client_secret and the
// grants `authorization_code` and `refresh_token`, answering `expires_at` (unix seconds), not
// `expires_in`. Whether a refresh hands back the same refresh token or a new one is undocumented:
// `refreshTokens` plays either ('rotating': the spent one answers invalid_grant). Access tokens
// last `lifetimeMs` (an hour at Front; tests compress it like the rate window) and API calls with
// an expired one answer 401. `revoke()` is an admin uninstalling the app. For crash and race tests
// a token request can be held open (`hold`: before Front acts on it, or after, with a rotating
// refresh token already spent and only the answer outstanding) until `release()`, and the token
// endpoint can answer an error status instead (`errorStatus`).

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { itemAt } from '../shared/item-at.js';
import { escapeHtml } from '../shared/escape-html.js';

export type RefreshTokenMode = 'same' | 'rotating';
export const REFRESH_TOKEN_MODES: readonly RefreshTokenMode[] = ['same', 'rotating'];

/**
 * Where a token request waits: 'request' before Front acts on it (a client gone by then changes
 * nothing), 'answer' after (the grant applied, a rotating refresh token spent, the answer not sent).
 */
export type TokenHold = 'none' | 'request' | 'answer';
export const TOKEN_HOLDS: readonly TokenHold[] = ['none', 'request', 'answer'];

export interface OAuthSettings {
  /** Access-token lifetime. Default 3,600,000 (an hour, as at Front). */
  lifetimeMs: number;
  refreshTokens: RefreshTokenMode;
  /** Approve at once (tests) instead of showing the approve page. */
  autoApprove: boolean;
  /** Token requests wait here until release() (or hold 'none'). Default 'none'. */
  hold: TokenHold;
  /** Every token request (client authenticated) answers this status instead (e.g. 500); null: off. */
  errorStatus: number | null;
}

export interface OAuthStats {
  codesExchanged: number;
  refreshes: number;
  invalidGrants: number;
  expiredCalls: number;
  /** Token requests waiting now (hold). */
  held: number;
  /** Most refresh requests Front was handling at one time (held ones included): 1 when refreshes never overlap. */
  peakConcurrentRefreshes: number;
  /** Token requests answered with errorStatus. */
  failedRequests: number;
}

/** Every token the app has issued, for tests that search outputs and files for them. */
export interface OAuthIssued {
  accessTokens: string[];
  refreshTokens: string[];
}

export type OAuthIdentity = { kind: 'valid' } | { kind: 'expired' } | { kind: 'unknown' };

interface Grant {
  /** Still usable (false once spent under 'rotating', or revoked). */
  live: boolean;
}

const CODE_TTL_MS = 10 * 60_000;

export class SandboxOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  private settings: OAuthSettings;
  private readonly codes = new Map<string, { redirectUri: string; expiresAt: number }>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly counts: Omit<OAuthStats, 'held'> = { codesExchanged: 0, refreshes: 0, invalidGrants: 0, expiredCalls: 0, peakConcurrentRefreshes: 0, failedRequests: 0 };
  private readonly waiting = new Set<() => void>();
  private refreshing = 0;

  constructor(
    seed: number | string,
    private readonly now: () => number,
    settings: Partial<OAuthSettings> = {},
  ) {
    const derive = (what: string) => createHash('sha256').update(`front-import sandbox oauth\u0000${seed}\u0000${what}`).digest('hex');
    this.clientId = derive('client-id').slice(0, 32);
    this.clientSecret = derive('client-secret').slice(0, 48);
    this.settings = { lifetimeMs: 3_600_000, refreshTokens: 'same', autoApprove: false, hold: 'none', errorStatus: null, ...defined(settings) };
  }

  configure(settings: Partial<OAuthSettings>): void {
    this.settings = { ...this.settings, ...defined(settings) };
    if (this.settings.hold === 'none') this.release();
  }

  stats(): OAuthStats {
    return { ...this.counts, held: this.waiting.size };
  }

  issued(): OAuthIssued {
    return { accessTokens: [...this.accessTokens.keys()], refreshTokens: [...this.refreshTokens.keys()] };
  }

  /** Every access token issued so far expires now (API calls with one answer 401); refresh tokens stay good. */
  expireAccessTokens(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.accessTokens) if (expiresAt > now) this.accessTokens.set(token, now);
  }

  /** Lets every held token request go on (its client may be gone by now). */
  release(): void {
    const held = [...this.waiting];
    this.waiting.clear();
    for (const go of held) go();
  }

  private held(point: TokenHold): Promise<void> {
    if (this.settings.hold !== point) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  /** The app is uninstalled: every access and refresh token stops working. */
  revoke(): void {
    this.accessTokens.clear();
    for (const grant of this.refreshTokens.values()) grant.live = false;
  }

  /** Who a bearer token is, for the API's auth step. */
  identify(token: string): OAuthIdentity {
    const expiresAt = this.accessTokens.get(token);
    if (expiresAt === undefined) return { kind: 'unknown' };
    if (this.now() >= expiresAt) {
      this.counts.expiredCalls++;
      return { kind: 'expired' };
    }
    return { kind: 'valid' };
  }

  /** Handles /oauth/*; false when the path is not one of them. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (url.pathname === '/oauth/authorize' && req.method === 'GET') {
      this.authorize(res, url);
      return true;
    }
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      readBody(req)
        .then((body) => this.token(req, res, body))
        .catch(() => {
          if (!res.headersSent) sendJson(res, 400, { error: 'invalid_request' });
        });
      return true;
    }
    return false;
  }

  private authorize(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== this.clientId || !redirectUri || q.get('response_type') !== 'code') {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Invalid authorization request</h1>');
      return;
    }
    if (!this.settings.autoApprove && q.get('approve') !== '1') {
      const approve = new URL(url.href);
      approve.searchParams.set('approve', '1');
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<h1>front-import sandbox</h1><p>Allow this application to access your Front company?</p><a href="${escapeHtml(approve.pathname + approve.search)}">Approve</a>`);
      return;
    }
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { redirectUri, expiresAt: this.now() + CODE_TTL_MS });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    res.writeHead(302, { location: target.href }).end();
  }

  private async token(req: IncomingMessage, res: ServerResponse, body: Record<string, string>): Promise<void> {
    if (!this.clientAuthenticated(req.headers.authorization)) {
      sendJson(res, 401, { error: 'invalid_client' });
      return;
    }
    const refresh = body.grant_type === 'refresh_token';
    if (refresh) {
      this.refreshing++;
      this.counts.peakConcurrentRefreshes = Math.max(this.counts.peakConcurrentRefreshes, this.refreshing);
    }
    try {
      await this.held('request');
      // A client gone before Front acted (killed while its request was held): nothing happens.
      if (req.socket.destroyed) return;
      const [status, answer] = this.grant(body);
      await this.held('answer');
      sendJson(res, status, answer);
    } finally {
      if (refresh) this.refreshing--;
    }
  }

  /** Front acting on a token request: the status and body of its answer. */
  private grant(body: Record<string, string>): [number, unknown] {
    if (this.settings.errorStatus !== null) {
      this.counts.failedRequests++;
      return [this.settings.errorStatus, { error: 'server_error', error_description: 'The sandbox was told to fail token requests' }];
    }
    if (body.grant_type === 'authorization_code') {
      const code = this.codes.get(body.code ?? '');
      this.codes.delete(body.code ?? '');
      if (!code || code.expiresAt < this.now() || code.redirectUri !== body.redirect_uri) return this.invalidGrant();
      this.counts.codesExchanged++;
      return [200, this.issue(null)];
    }
    if (body.grant_type === 'refresh_token') {
      const presented = body.refresh_token ?? '';
      const grant = this.refreshTokens.get(presented);
      if (!grant?.live) return this.invalidGrant();
      this.counts.refreshes++;
      if (this.settings.refreshTokens === 'rotating') grant.live = false;
      return [200, this.issue(this.settings.refreshTokens === 'same' ? presented : null)];
    }
    return [400, { error: 'unsupported_grant_type' }];
  }

  private invalidGrant(): [number, unknown] {
    this.counts.invalidGrants++;
    return [400, { error: 'invalid_grant', error_description: 'The refresh token or code is invalid, expired or revoked' }];
  }

  private issue(keepRefreshToken: string | null): Record<string, unknown> {
    const accessToken = `sbxo_${randomBytes(24).toString('base64url')}`;
    const expiresAt = this.now() + this.settings.lifetimeMs;
    this.accessTokens.set(accessToken, expiresAt);
    const refreshToken = keepRefreshToken ?? `sbxr_${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(refreshToken, { live: true });
    return { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expires_at: expiresAt / 1000 };
  }

  private clientAuthenticated(header: string | undefined): boolean {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!match) return false;
    const [id, secret] = Buffer.from(itemAt(match, 1), 'base64').toString('utf8').split(':');
    return id === this.clientId && secret === this.clientSecret;
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  // Front's docs show JSON bodies; form encoding is what generic OAuth clients send: both are read.
  if ((req.headers['content-type'] ?? '').includes('json')) {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Flags the user did not pass arrive as undefined: they keep the default. */
function defined<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

