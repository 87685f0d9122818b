// Request handling over real HTTP against an in-process listener and an in-memory store.

import { afterEach, describe, expect, it } from 'vitest';
import { RULE_SECRET, SECRET, appEvent, send, sign, signedHeaders, startTestListener, type TestListener } from './helpers.ts';

let listener: TestListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

async function start(...args: Parameters<typeof startTestListener>): Promise<TestListener> {
  listener = await startTestListener(...args);
  return listener;
}

async function expectNothingQueued(l: TestListener): Promise<void> {
  expect(await l.store.queuedWebhookEvents(100)).toEqual([]);
  expect(l.queuedSignals).toBe(0);
}

describe('application webhooks', () => {
  it('queues a signed event durably and answers 200', async () => {
    const l = await start();
    const body = appEvent('cnv_42', 'evt_a1');
    const res = await send(l.url, { headers: signedHeaders(body), body });
    expect(res.status).toBe(200);
    expect(await l.store.queuedWebhookEvents(10)).toMatchObject([{ eventId: 'evt_a1', type: 'inbound', conversationId: 'cnv_42' }]);
    expect(l.queuedSignals).toBe(1);
    expect(l.warnings).toEqual([]);
  });

  it('answers a redelivered event 200 without queueing it again', async () => {
    const l = await start();
    const body = appEvent('cnv_7', 'evt_dup');
    const first = await send(l.url, { headers: signedHeaders(body), body });
    const again = await send(l.url, { headers: signedHeaders(body), body });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await l.store.queuedWebhookEvents(10)).toHaveLength(1);
    expect(l.queuedSignals).toBe(1);
    expect(await l.store.listenerStats()).toMatchObject({ received: 2, queued: 1 });
  });

  it('refuses a bad signature with 401, stores nothing, logs reason and address but not body or secret', async () => {
    const l = await start();
    const body = appEvent('cnv_secret_body_marker', 'evt_bad');
    const res = await send(l.url, { headers: signedHeaders(body, { secret: 'wrong-secret-0000' }), body });
    expect(res.status).toBe(401);
    await expectNothingQueued(l);
    expect(await l.store.listenerStats()).toMatchObject({ received: 0, rejected: 1, lastRejectReason: 'bad signature' });
    expect(l.warnings).toHaveLength(1);
    expect(l.warnings[0]).toMatch(/401 bad signature.*127\.0\.0\.1/);
    expect(l.warnings[0]).not.toContain('cnv_secret_body_marker');
    expect(l.warnings[0]).not.toContain(SECRET);
    expect(res.text).not.toContain(SECRET);
  });

  it('refuses a request with a body signed but altered in transit', async () => {
    const l = await start();
    const body = appEvent('cnv_1', 'evt_x');
    const res = await send(l.url, { headers: signedHeaders(body), body: body.replace('cnv_1', 'cnv_2') });
    expect(res.status).toBe(401);
    await expectNothingQueued(l);
  });

  it('refuses unsigned requests and stale or future timestamps with 401', async () => {
    const l = await start();
    const body = appEvent();
    expect((await send(l.url, { headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    expect((await send(l.url, { headers: signedHeaders(body, { timestamp: Date.now() - 6 * 60_000 }), body })).status).toBe(401);
    expect((await send(l.url, { headers: signedHeaders(body, { timestamp: Date.now() + 6 * 60_000 }), body })).status).toBe(401);
    await expectNothingQueued(l);
    expect((await l.store.listenerStats()).rejected).toBe(3);
    expect(l.warnings.map((w) => w.match(/\(401 ([^)]+)\)/)?.[1])).toEqual(['missing signature', 'stale timestamp', 'timestamp in the future']);
  });

  it('refuses a correctly signed body that is not JSON with 400', async () => {
    const l = await start();
    const body = 'type=inbound&id=evt_1';
    const res = await send(l.url, { headers: signedHeaders(body), body });
    expect(res.status).toBe(400);
    await expectNothingQueued(l);
    expect(await l.store.listenerStats()).toMatchObject({ rejected: 1, lastRejectReason: 'body is not JSON' });
  });

  it('refuses a signed JSON body that names no event with 400', async () => {
    const l = await start();
    const body = JSON.stringify({ type: 'inbound', payload: { type: 'inbound' } });
    expect((await send(l.url, { headers: signedHeaders(body), body })).status).toBe(400);
    await expectNothingQueued(l);
  });

  it('answers the validation challenge only when its signature is valid', async () => {
    const l = await start();
    const body = JSON.stringify({ type: 'sync', authorization: { id: 'cmp_1' } });
    const ok = await send(l.url, { headers: { ...signedHeaders(body), 'x-front-challenge': 'chal-123' }, body });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ challenge: 'chal-123' });
    const forged = await send(l.url, { headers: { ...signedHeaders(body, { secret: 'nope-nope' }), 'x-front-challenge': 'chal-456' }, body });
    expect(forged.status).toBe(401);
    expect(forged.text).not.toContain('chal-456');
    await expectNothingQueued(l);
  });
});

describe('limits, paths and methods', () => {
  it('answers 413 to a body declared over 1 MB without reading it', async () => {
    const l = await start();
    const res = await send(l.url, {
      headers: { ...signedHeaders('{}'), 'content-length': String(1024 * 1024 + 1) },
      // Headers only: the listener must answer before any body byte arrives.
      writeBody: (req) => req.flushHeaders(),
    });
    expect(res.status).toBe(413);
    await expectNothingQueued(l);
    expect((await l.store.listenerStats()).rejected).toBe(1);
  });

  it('stops a streamed body at 1 MB with 413 (or a closed connection), queueing nothing', async () => {
    const l = await start();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    const outcome = await send(l.url, {
      headers: { 'content-type': 'application/json', 'x-front-signature': 'x', 'x-front-request-timestamp': String(Date.now()) },
      writeBody: (req) => {
        const pump = () => {
          // Up to 4 MB, chunked: there is no content-length to refuse on, only the bytes.
          while (written < 4 * 1024 * 1024) {
            written += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        req.on('error', () => undefined);
        pump();
      },
    }).then(
      (res) => res.status,
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(outcome);
    await expectNothingQueued(l);
    expect(await l.store.listenerStats()).toMatchObject({ rejected: 1, lastRejectReason: `body over ${1024 * 1024} bytes` });
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const l = await start();
    expect((await send(`${l.base}/other`, { body: '{}' })).status).toBe(404);
    expect((await send(`${l.url}/extra/segments`, { body: '{}' })).status).toBe(404);
    const get = await send(l.url, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    await expectNothingQueued(l);
    expect((await l.store.listenerStats()).rejected).toBe(3);
  });

  it('treats a trailing slash and a query string as the same endpoint', async () => {
    const l = await start();
    const body = appEvent('cnv_q', 'evt_q');
    expect((await send(`${l.url}/?source=front`, { headers: signedHeaders(body), body })).status).toBe(200);
    expect(await l.store.queuedWebhookEvents(10)).toHaveLength(1);
  });

  it('reports health on /healthz under any prefix: queue depth and the last delivery', async () => {
    const l = await start();
    const empty = await send(`${l.base}/healthz`, { method: 'GET' });
    expect(empty.status).toBe(200);
    expect(empty.json()).toMatchObject({ ok: true, queueDepth: 0, lastDeliveryAt: null });
    for (const id of ['evt_h1', 'evt_h2']) {
      const body = appEvent('cnv_h', id);
      await send(l.url, { headers: signedHeaders(body), body });
    }
    const after = await send(`${l.base}/behind/a/proxy/healthz`, { method: 'GET' });
    expect(after.json()).toMatchObject({ ok: true, queueDepth: 2 });
    expect(Date.parse(after.json<{ lastDeliveryAt: string }>().lastDeliveryAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('answers 503 once shutdown began, so Front retries later', async () => {
    const l = await start({}, { accepting: () => false });
    const body = appEvent();
    expect((await send(l.url, { headers: signedHeaders(body), body })).status).toBe(503);
    await expectNothingQueued(l);
  });
});

describe('rule webhooks', () => {
  const preview = (id: string) => JSON.stringify({ id, type: 'tag', emitted_at: 1, conversation: { id: 'cnv_r', _links: {} } });

  it('accept the shared secret as the last path segment or in the configured header', async () => {
    const l = await start({ ruleSecret: RULE_SECRET });
    expect((await send(`${l.url}/${RULE_SECRET}`, { body: preview('evt_r1') })).status).toBe(200);
    expect((await send(l.url, { headers: { 'X-Front-Import-Secret': RULE_SECRET }, body: preview('evt_r2') })).status).toBe(200);
    expect((await l.store.queuedWebhookEvents(10)).map((e) => [e.eventId, e.type, e.conversationId])).toEqual([
      ['evt_r1', 'tag', 'cnv_r'],
      ['evt_r2', 'tag', 'cnv_r'],
    ]);
  });

  it('refuse a wrong or missing shared secret with 401 and never log the path secret', async () => {
    const l = await start({ ruleSecret: RULE_SECRET });
    expect((await send(`${l.url}/guess-${RULE_SECRET}`, { body: preview('evt_r3') })).status).toBe(401);
    expect((await send(l.url, { headers: { 'x-front-import-secret': 'guess' }, body: preview('evt_r4') })).status).toBe(401);
    expect((await send(l.url, { body: preview('evt_r5') })).status).toBe(401);
    await expectNothingQueued(l);
    expect(l.warnings.join('\n')).not.toContain(RULE_SECRET);
  });

  it('are not accepted by path when no rule secret is configured', async () => {
    const l = await start();
    expect((await send(`${l.url}/anything`, { body: preview('evt_r6') })).status).toBe(404);
    await expectNothingQueued(l);
  });
});

describe('--insecure-no-verify', () => {
  it('accepts unsigned events, but still refuses a wrong signature when a secret is known', async () => {
    const l = await start({ insecure: true });
    const body = appEvent('cnv_i', 'evt_i1');
    expect((await send(l.url, { body })).status).toBe(200);
    const other = appEvent('cnv_i', 'evt_i2');
    const ts = String(Date.now());
    const forged = { 'x-front-request-timestamp': ts, 'x-front-signature': sign('wrong-secret', ts, other) };
    expect((await send(l.url, { headers: forged, body: other })).status).toBe(401);
    expect((await l.store.queuedWebhookEvents(10)).map((e) => e.eventId)).toEqual(['evt_i1']);
  });
});
