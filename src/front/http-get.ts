// One GET over node:http(s), answered with the whole body as text. The Front client decides
// retries, redirects and rate limits itself, so it needs nothing more; got did the same job at about
// twice the CPU per request and a third more peak memory over a backfill (`npm run bench`).
// Keep-alive comes from Node's global agents, whose idle sockets do not keep the process alive.

import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
  }
}

export interface HttpGetOptions {
  headers: Record<string, string>;
  /** For the whole exchange, body included. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export function httpGet(url: URL, opts: HttpGetOptions): Promise<HttpAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const fail = (err: unknown) => {
      clearTimeout(timer);
      reject(err);
    };
    const req = transport.get(url, { headers: opts.headers, signal: opts.signal }, (res) => {
      // Decoded once at the end: cheaper than decoding every chunk, and a character split between
      // chunks cannot be cut.
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body });
      });
      // An answer cut off before its end fails here, as ECONNRESET.
      res.on('error', fail);
    });
    req.on('error', fail);
    timer = setTimeout(() => req.destroy(new RequestTimeoutError(opts.timeoutMs)), opts.timeoutMs);
  });
}
