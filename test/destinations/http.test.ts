import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpDestination, type HttpDestinationOptions } from '../../src/destinations/http.ts';
import { BatchRejectedError, batchKey } from '../../src/destinations/types.ts';
import { ConfigError, DestinationError } from '../../src/errors.ts';
import { serializeHighlight } from '../../src/highlight/serialize.ts';
import { makeHighlight } from './helpers.ts';
import { closedPort, startReceiver, type ScriptedReply } from '../helpers/receiver.ts';

const TOKEN = 'dst_secret_token_4f1c9e';
const highlights = [makeHighlight(1), makeHighlight(2)];
const batch = { key: batchKey(highlights), highlights };

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
});

async function receiver(...script: ScriptedReply[]) {
  const r = await startReceiver({ script });
  stops.push(r.close);
  return { url: r.url, requests: r.raw };
}

function destination(url: string, overrides: Partial<HttpDestinationOptions> = {}) {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const dest = createHttpDestination({
    url,
    token: TOKEN,
    batchSize: 100,
    timeoutMs: 2000,
    retries: 5,
    retryBaseMs: 5,
    signingSecret: null,
    userAgent: 'front-import/0.1.0 (test)',
    sleep: async (ms) => void sleeps.push(ms),
    log: (line) => logs.push(line),
    random: () => 0.5,
    ...overrides,
  });
  return { dest, sleeps, logs };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('batchKey', () => {
  it('is sha256 hex of id@version lines in batch order', () => {
    const expected = createHash('sha256').update('front:cnv_1@v1\nfront:cnv_2@v2').digest('hex');
    expect(batchKey(highlights)).toBe(expected);
    expect(batchKey([...highlights].reverse())).not.toBe(expected);
    expect(batchKey([makeHighlight(1), makeHighlight(2, 'v3')])).not.toBe(expected);
  });
});

describe('HTTP destination', () => {
  it('POSTs the batch with bearer token, Idempotency-Key, JSON content type and user agent', async () => {
    const r = await receiver({ status: 202 });
    const { dest, sleeps } = destination(r.url);
    await dest.send(batch);
    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/v1/highlights');
    expect(req!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'idempotency-key': batch.key,
      'content-type': 'application/json',
      'user-agent': 'front-import/0.1.0 (test)',
    });
    expect(req!.body).toBe(`{"highlights":[${highlights.map(serializeHighlight).join(',')}]}`);
    expect(JSON.parse(req!.body)).toEqual({ highlights });
    expect(sleeps).toEqual([]);
  });

  it('sends no Authorization header without a token', async () => {
    const r = await receiver({ status: 200 });
    await destination(r.url, { token: null }).dest.send(batch);
    expect(r.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('treats 409 (key already received) as accepted', async () => {
    const r = await receiver({ status: 409, body: '{"error":"duplicate"}' });
    await expect(destination(r.url).dest.send(batch)).resolves.toBeUndefined();
    expect(r.requests).toHaveLength(1);
  });

  it('retries a 500 with the same Idempotency-Key and succeeds', async () => {
    const r = await receiver({ status: 500 }, { status: 200 });
    const { dest, sleeps, logs } = destination(r.url);
    await dest.send(batch);
    expect(r.requests.map((req) => req.headers['idempotency-key'])).toEqual([batch.key, batch.key]);
    expect(sleeps).toHaveLength(1);
    expect(logs.join('\n')).toContain('500');
  });

  it('waits what retry-after says on 429', async () => {
    const r = await receiver({ status: 429, headers: { 'retry-after': '3' } }, { status: 200 });
    const { dest, sleeps } = destination(r.url);
    await dest.send(batch);
    expect(sleeps).toEqual([3000]);
    expect(r.requests).toHaveLength(2);
  });

  it('backs off exponentially between retries, with real (compressed) waits', async () => {
    const r = await receiver({ status: 503 }, { status: 408 }, { status: 502 }, { status: 204 });
    const { dest, sleeps } = destination(r.url, { retryBaseMs: 100 });
    await dest.send(batch);
    // random() = 0.5: half of base*2^(n-1) fixed plus a quarter of it from jitter.
    expect(sleeps).toEqual([75, 150, 300]);

    const real = await receiver({ status: 503 }, { status: 503 }, { status: 200 });
    const started = performance.now();
    await destination(real.url, { sleep: undefined, retryBaseMs: 20 }).dest.send(batch);
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
    expect(real.requests).toHaveLength(3);
  });

  it('rejects the batch on 400 with the JSON error message', async () => {
    const r = await receiver({ status: 400, body: '{"error":"highlights[1].title is required"}' });
    const err = await failure(destination(r.url).dest.send(batch));
    expect(err).toBeInstanceOf(BatchRejectedError);
    expect(err).not.toBeInstanceOf(DestinationError);
    expect((err as BatchRejectedError).status).toBe(400);
    expect((err as BatchRejectedError).responseMessage).toBe('highlights[1].title is required');
    expect(r.requests).toHaveLength(1);
  });

  it('uses a `message` field or the plain text body, cut to 200 characters', async () => {
    const json = await receiver({ status: 422, body: '{"message":"unknown field"}' });
    expect(((await failure(destination(json.url).dest.send(batch))) as BatchRejectedError).responseMessage).toBe('unknown field');
    const text = await receiver({ status: 413, body: `Payload\n  too large ${'x'.repeat(500)}` });
    const message = ((await failure(destination(text.url).dest.send(batch))) as BatchRejectedError).responseMessage;
    expect(message.startsWith('Payload too large xxx')).toBe(true);
    expect(message.length).toBeLessThanOrEqual(200);
  });

  it('never repeats the token a receiver echoes back', async () => {
    const r = await receiver({ status: 422, body: `{"error":"header Bearer ${TOKEN} not allowed here"}` });
    const err = await failure(destination(r.url).dest.send(batch));
    expect(err.message).not.toContain(TOKEN);
    expect((err as BatchRejectedError).responseMessage).toBe('header Bearer [redacted] not allowed here');
  });

  it.each([401, 403, 404, 405])('stops with DestinationError on %i: the endpoint or token is wrong, not the batch', async (status) => {
    const r = await receiver({ status, body: `{"error":"bad token ${TOKEN}"}` });
    const err = await failure(destination(r.url).dest.send(batch));
    expect(err).toBeInstanceOf(DestinationError);
    expect(err.message).toBe(
      `destination ${r.url} refused the request (${status}: bad token [redacted]); check the destination URL and token`,
    );
    expect(r.requests).toHaveLength(1);
  });

  it('gives up after retries with a DestinationError naming the URL without secrets', async () => {
    const r = await receiver({ status: 503 });
    const url = `${r.url.replace('http://', 'http://user:pa55word@')}?api_key=querysecret`;
    const { dest, sleeps } = destination(url);
    const err = await failure(dest.send(batch));
    expect(err).toBeInstanceOf(DestinationError);
    expect(err.message).toBe(`destination ${r.url} unavailable after 6 attempts (last: 503)`);
    expect(r.requests).toHaveLength(6);
    expect(sleeps).toHaveLength(5);
  });

  it('reports a receiver that is down, without the token anywhere in the error', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/ingest`;
    const { dest, logs } = destination(url, { sleep: undefined, retries: 2 });
    const err = await failure(dest.send(batch));
    expect(err).toBeInstanceOf(DestinationError);
    expect(err.message).toBe(`destination ${url} unavailable after 3 attempts (last: ECONNREFUSED)`);
    expect(err.cause).toBeUndefined();
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain(TOKEN);
    expect(String(err.stack)).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('retries a receiver that does not answer in time', async () => {
    const r = await receiver('hang', { status: 200 });
    const { dest } = destination(r.url, { timeoutMs: 100 });
    await dest.send(batch);
    expect(r.requests).toHaveLength(2);

    const silent = await receiver('hang');
    const err = await failure(destination(silent.url, { timeoutMs: 50, retries: 1 }).dest.send(batch));
    expect(err.message).toMatch(/after 2 attempts \(last: timeout after 50 ms\)$/);
  });

  it('does not follow a redirect with the token', async () => {
    const target = await receiver({ status: 200 });
    const r = await receiver({ status: 307, headers: { location: target.url } });
    const err = await failure(destination(r.url).dest.send(batch));
    expect(err).toBeInstanceOf(DestinationError);
    expect(err.message).toContain('307');
    expect(target.requests).toHaveLength(0);
  });

  it('refuses a URL that is not http(s) without echoing it', () => {
    expect(() => destination('ftp://user:secret@host/x')).toThrow(ConfigError);
    expect(() => destination('not a url secret')).toThrow(ConfigError);
    try {
      destination('not a url secret');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});
