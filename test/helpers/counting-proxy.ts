// A forward proxy on 127.0.0.1 that counts what passes through it. The client tunnels every
// connection with CONNECT (src/http/proxy.ts); for plain-http targets the requests inside a tunnel
// are readable, so they are counted too (method and path of each request line). Absolute-form
// requests (another way clients use HTTP_PROXY) are counted and forwarded as well. It can demand
// Proxy-Authorization, to check that credentials in the proxy URL are used and never printed.

import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** host:port the request was for. */
  target: string;
  path: string;
}

export interface CountingProxy {
  url: string;
  /** CONNECT targets (host:port), one per tunnel, refused ones included. */
  tunnels: string[];
  /** Every request seen, in tunnels and in absolute form. */
  requests(): ProxiedRequest[];
  /** Requests for `host:port`. */
  to(target: string): ProxiedRequest[];
  close(): Promise<void>;
}

const REQUEST_LINE = /(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD|PATCH) (\S+) HTTP\/1\.1\r\n/g;

export async function startCountingProxy(opts: { credentials?: string } = {}): Promise<CountingProxy> {
  const direct: ProxiedRequest[] = [];
  const tunnelled: Array<{ target: string; sent: string }> = [];
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const expected = opts.credentials ? `Basic ${Buffer.from(opts.credentials).toString('base64')}` : null;
  const allowed = (req: IncomingMessage) => expected === null || req.headers['proxy-authorization'] === expected;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/');
    direct.push({ method: req.method ?? '', target: url.host, path: url.pathname + url.search });
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const { 'proxy-authorization': _auth, 'proxy-connection': _pc, ...headers } = req.headers;
    const upstream = request({ host: url.hostname, port: url.port, method: req.method, path: url.pathname + url.search, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const record = { target, sent: head.toString('latin1') };
    tunnelled.push(record);
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => (record.sent += chunk.toString('latin1')));
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const requests = () => [
    ...direct,
    ...tunnelled.flatMap(({ target, sent }) => [...sent.matchAll(REQUEST_LINE)].map((m) => ({ method: m[1]!, target, path: m[2]! }))),
  ];
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    requests,
    to: (target) => requests().filter((r) => r.target === target),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
