// One got instance per remote service (Front, a destination): keep-alive agents (through a proxy
// when the environment names one), decompression, a timeout on the whole exchange. got decides
// nothing else: it never retries and never follows a redirect, because retries, pacing and where
// the token may be sent are the service client's decisions (front/client.ts, destinations/http.ts).

import got, { type CancelableRequest, type Got, type GotReturn, type HandlerFunction, type Options } from 'got';
import { agentsFor } from './proxy.js';

export interface ServiceHttpOptions {
  /** The service's base URL; decides the proxy. */
  url: string;
  /** For the whole exchange, body included. */
  timeoutMs: number;
  /** Names the service in a proxy config error, e.g. "Front". */
  what: string;
  /** Largest answer body; past it the request is cut and fails with ResponseTooLargeError. Unlimited when absent. */
  maxResponseBytes?: number;
}

/** The answer's body outgrew ServiceHttpOptions.maxResponseBytes (a server streaming without end). */
export class ResponseTooLargeError extends Error {
  readonly code = 'ERESPONSETOOLARGE';
  constructor(readonly limitBytes: number) {
    super(`response body over ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
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
    handlers: opts.maxResponseBytes === undefined ? [] : [capResponse(opts.maxResponseBytes)],
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
 * got has no size limit of its own: it buffers whatever the server sends. This handler cancels the
 * request once the declared length or the bytes received pass `limit`, and turns got's CancelError
 * into ResponseTooLargeError, so memory stays bounded whatever a server streams.
 */
function capResponse(limit: number): HandlerFunction {
  return <T extends GotReturn>(options: Options, next: (options: Options) => T): T => {
    if (options.isStream) return next(options);
    const request = next(options) as CancelableRequest;
    let over = false;
    const cut = () => {
      if (over) return;
      over = true;
      request.cancel();
    };
    request.on('response', (response: { headers: Record<string, string | string[] | undefined> }) => {
      if (Number(response.headers['content-length']) > limit) cut();
    });
    request.on('downloadProgress', (progress: { transferred: number }) => {
      if (progress.transferred > limit) cut();
    });
    const capped = request.catch((err: unknown) => {
      throw over ? new ResponseTooLargeError(limit) : err;
    });
    return Object.assign(capped, { on: request.on.bind(request), cancel: request.cancel.bind(request) }) as unknown as T;
  };
}

/**
 * What may be said about a failed exchange: got's errors carry the request options (the
 * Authorization header included), so only a timeout or the error's code leaves.
 */
export function describeNetworkFailure(err: unknown, timeoutMs: number): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ETIMEDOUT') return `timeout after ${timeoutMs} ms`;
  if (isUntrustedCertificate(err)) {
    return `the server's TLS certificate is not trusted (${String(code)}); if it is signed by your organisation's CA, set NODE_EXTRA_CA_CERTS to that CA's PEM file`;
  }
  // hpagent's only words when the proxy refuses the tunnel: "Bad response: <status>".
  const proxyStatus = /Bad response: (\d{3})\b/.exec(String((err as { message?: unknown } | null)?.message ?? ''))?.[1];
  if (proxyStatus) return `the proxy refused the connection (${proxyStatus}${proxyStatus === '407' ? ': check the credentials in HTTPS_PROXY/HTTP_PROXY' : ''})`;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : 'connection failed';
}

// Node's codes for a certificate chain it cannot verify or a name it does not match. Trying again
// cannot change the answer, so callers stop at once instead of retrying.
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isUntrustedCertificate(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNTRUSTED_CERTIFICATE.has(code);
}
