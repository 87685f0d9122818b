// Signed deliveries, checked with the verification snippet exactly as the README prints it.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpDestination } from '../../src/destinations/http.ts';
import { batchKey } from '../../src/destinations/types.ts';
import { makeHighlight } from './helpers.ts';
import { startReceiver, type RawRequest } from '../helpers/receiver.ts';
import { readmeVerifyDelivery, type VerifyDelivery } from '../helpers/readme-snippet.ts';

const SECRET = 'whsec_0123456789abcdef';
const NOW_MS = 1_780_000_000_000;

let verifyDelivery: VerifyDelivery;
beforeAll(async () => {
  verifyDelivery = await readmeVerifyDelivery();
});

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
});

async function sendOne(signingSecret: string | null, script = [{ status: 200 }], clock = () => NOW_MS): Promise<RawRequest[]> {
  const r = await startReceiver({ script });
  stops.push(r.close);
  const highlights = [makeHighlight(1), makeHighlight(2)];
  let now = clock();
  const dest = createHttpDestination({
    url: r.url,
    token: 'dest-token',
    batchSize: 100,
    timeoutMs: 2000,
    retries: 3,
    retryBaseMs: 1,
    signingSecret,
    userAgent: 'front-import/test',
    // Each retry waits ten minutes on the injected clock: longer than a receiver's 5-minute tolerance.
    sleep: async () => {
      now += 600_000;
    },
    clock: () => now,
  });
  await dest.send({ key: batchKey(highlights), highlights });
  await dest.close();
  return r.raw;
}

describe('signed deliveries', () => {
  it('the README snippet accepts what front-import sends, besides the Idempotency-Key', async () => {
    const [request] = await sendOne(SECRET);
    expect(request!.headers['idempotency-key']).toMatch(/^[0-9a-f]{64}$/);
    expect(request!.headers['x-front-import-timestamp']).toBe(String(NOW_MS / 1000));
    expect(request!.headers['x-front-import-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyDelivery(SECRET, request!.headers, request!.body, NOW_MS / 1000)).toBe(true);
  });

  it('the snippet refuses another secret, changed bytes, a stale timestamp and a missing signature', async () => {
    const [request] = await sendOne(SECRET);
    const { headers, body } = request!;
    expect(verifyDelivery('another-secret', headers, body, NOW_MS / 1000)).toBe(false);
    expect(verifyDelivery(SECRET, headers, body.replace('"title":"', '"title":"X'), NOW_MS / 1000)).toBe(false);
    expect(verifyDelivery(SECRET, { ...headers, 'x-front-import-timestamp': String(NOW_MS / 1000 + 1) }, body, NOW_MS / 1000)).toBe(false);
    expect(verifyDelivery(SECRET, headers, body, NOW_MS / 1000 + 301)).toBe(false);
    expect(verifyDelivery(SECRET, { ...headers, 'x-front-import-signature': undefined }, body, NOW_MS / 1000)).toBe(false);
  });

  it('every retry is signed again at its own time, over the same bytes', async () => {
    const requests = await sendOne(SECRET, [{ status: 503 }, { status: 503 }, { status: 200 }]);
    expect(requests).toHaveLength(3);
    const stamps = requests.map((r) => Number(r.headers['x-front-import-timestamp']));
    expect(stamps).toEqual([NOW_MS / 1000, NOW_MS / 1000 + 600, NOW_MS / 1000 + 1200]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const [i, r] of requests.entries()) expect(verifyDelivery(SECRET, r.headers, r.body, stamps[i]!), `attempt ${i + 1}`).toBe(true);
  });

  it('without a secret nothing is signed, and the secret is never sent', async () => {
    const [unsigned] = await sendOne(null);
    expect(unsigned!.headers['x-front-import-signature']).toBeUndefined();
    expect(unsigned!.headers['x-front-import-timestamp']).toBeUndefined();
    const [signed] = await sendOne(SECRET);
    expect(JSON.stringify(signed!.headers) + signed!.body).not.toContain(SECRET);
  });
});
