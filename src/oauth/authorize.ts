// The authorization-code step of `connect --oauth`: Front documents no PKCE and no device flow, so
// the code comes back to a loopback redirect (a browser on this machine) or, over SSH and on
// servers (--no-browser, no display, CI), as the redirected URL or the bare code on standard input.
// The `state` is checked whenever the answer carries one.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';
import type { FrontOAuthSettings } from '../config/types.js';

export interface AuthorizeDeps {
  settings: FrontOAuthSettings;
  /** Print the URL and read the answer from stdin instead of using a browser and the loopback redirect. */
  noBrowser: boolean;
  stdin: NodeJS.ReadableStream;
  say: (line: string) => void;
  openBrowser: (url: string) => Promise<void>;
  signal?: AbortSignal;
  /** How long to wait for the browser's redirect. Default 5 minutes. */
  timeoutMs?: number;
}

export function authorizeUrl(settings: FrontOAuthSettings, state: string): string {
  const url = new URL('/oauth/authorize', settings.url);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId ?? '');
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('state', state);
  return url.href;
}

/** The authorization code, once the admin approved. */
export async function authorizationCode(deps: AuthorizeDeps): Promise<string> {
  const state = randomBytes(16).toString('hex');
  const url = authorizeUrl(deps.settings, state);
  if (deps.noBrowser) {
    deps.say('Open this URL in a browser, sign in to Front as a company admin and approve:');
    deps.say(url);
    deps.say('Then paste here the URL the browser was sent to (or just its code):');
    return codeFromAnswer(await firstLine(deps.stdin), state);
  }
  const waiting = loopbackCode(deps.settings.redirectUri, state, deps.timeoutMs ?? 300_000, deps.signal);
  const server = await waiting.listening;
  try {
    deps.say(`Opening your browser to approve front-import in Front; if it does not open, visit:`);
    deps.say(url);
    await deps.openBrowser(url).catch(() => undefined);
    return await waiting.code;
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

/** "https://…/callback?code=X&state=Y" or "X". */
export function codeFromAnswer(answer: string, state: string): string {
  const text = answer.trim();
  if (text === '') throw new UsageError('connect --oauth: no answer on standard input; paste the redirected URL or the code');
  if (!/^https?:\/\//i.test(text)) return text;
  const params = new URL(text).searchParams;
  const error = params.get('error');
  if (error) throw new UsageError(`connect --oauth: Front did not authorize (${error}); a company admin must approve the app`);
  if (params.get('state') !== state) throw new UsageError('connect --oauth: the redirected URL belongs to another authorization (state does not match); start again');
  const code = params.get('code');
  if (!code) throw new UsageError('connect --oauth: the redirected URL carries no code');
  return code;
}

function firstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stdin, terminal: false });
    let done = false;
    rl.once('line', (line) => {
      done = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!done) resolve('');
    });
  });
}

function loopbackCode(redirectUri: string, state: string, timeoutMs: number, signal?: AbortSignal) {
  const target = new URL(redirectUri);
  if (target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    throw new UsageError(`front.oauth.redirectUri ${redirectUri}: expected a loopback http URL such as http://127.0.0.1:8484/oauth/callback (or use --no-browser)`);
  }
  const server = createServer();
  let settle!: { resolve: (code: string) => void; reject: (err: Error) => void };
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const timer = setTimeout(() => settle.reject(new UsageError('connect --oauth: no approval arrived within the wait; run it again (or use --no-browser)')), timeoutMs);
  code.finally(() => clearTimeout(timer)).catch(() => undefined);
  signal?.addEventListener('abort', () => settle.reject(signal.reason as Error), { once: true });
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', target.origin);
    if (url.pathname !== target.pathname) {
      res.writeHead(404).end();
      return;
    }
    try {
      const value = codeFromAnswer(url.href, state);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>front-import is connected. You can close this tab.</p>');
      settle.resolve(value);
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end((err as Error).message);
      settle.reject(err as Error);
    }
  });
  const port = Number(target.port || 80);
  const listening = new Promise<typeof server>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES'
          ? new UsageError(`connect --oauth: cannot listen on ${target.host} for the redirect (${err.code}): free port ${port}, or set front.oauth.redirectUri to another port registered on the app, or use --no-browser`)
          : err,
      ),
    );
    server.listen(port, target.hostname.replace(/^\[|\]$/g, ''), () => resolve(server));
  });
  return { listening, code };
}
