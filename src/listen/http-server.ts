// Binds the listener's HTTP server and stops it: close() refuses new connections, lets requests in
// flight finish (each is short: read, verify, enqueue) and cuts whatever is still open after a grace.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import type { RequestHandler } from './handler.js';

/** A client gets this long to send a whole request; Front sends small bodies at once. */
const REQUEST_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 2_000;

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(handler: RequestHandler, host: string, port: number): Promise<RunningServer> {
  const server: Server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS / 2 }, handler);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL'
          ? new UsageError(`listen: cannot listen on ${host}:${port} (${err.code}); choose another --host or --port`)
          : err,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
