// One got instance per remote service (Front, a destination): keep-alive agents (through a proxy
// when the environment names one), decompression, a timeout on the whole exchange. got decides
// nothing else: it never retries and never follows a redirect, because retries, pacing and where
// the token may be sent are the service client's decisions (front/client.ts, destinations/http.ts).

import got, { type Got } from 'got';
import { agentsFor } from './proxy.js';

export interface ServiceHttpOptions {
  /** The service's base URL; decides the proxy. */
  url: string;
  /** For the whole exchange, body included. */
  timeoutMs: number;
  /** Names the service in a proxy config error, e.g. "Front". */
  what: string;
}

export interface ServiceHttp {
  got: Got;
  /** scheme://host:port of the proxy in use, null when direct. */
  proxy: string | null;
  /** Secrets this transport brings (a proxy password), for the scrubber. */
  secrets: string[];
  /** Releases the kept-alive sockets. */
  close(): void;
}

export function createServiceHttp(opts: ServiceHttpOptions): ServiceHttp {
  const agents = agentsFor(opts.url, opts.what);
  const instance = got.extend({
    agent: { http: agents.http, https: agents.https },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    timeout: { request: opts.timeoutMs },
    responseType: 'text',
  });
  return {
    got: instance,
    proxy: agents.proxy,
    secrets: agents.proxySecret ? [agents.proxySecret] : [],
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/**
 * What may be said about a failed exchange: got's errors carry the request options (the
 * Authorization header included), so only a timeout or the error's code leaves.
 */
export function describeNetworkFailure(err: unknown, timeoutMs: number): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ETIMEDOUT') return `timeout after ${timeoutMs} ms`;
  // hpagent's only words when the proxy refuses the tunnel: "Bad response: <status>".
  const proxyStatus = /Bad response: (\d{3})\b/.exec(String((err as { message?: unknown } | null)?.message ?? ''))?.[1];
  if (proxyStatus) return `the proxy refused the connection (${proxyStatus}${proxyStatus === '407' ? ': check the credentials in HTTPS_PROXY/HTTP_PROXY' : ''})`;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : 'connection failed';
}
