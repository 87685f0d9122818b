// `/healthz` of the real `listen` binary tells a monitor when batches fail: degraded with the reason
// while the destination is down (503 with ?strict), ok again after a good batch.

import { describe, expect, it } from 'vitest';
import { closeAfterEach, scenario } from '../helpers/e2e.ts';
import { waitUntil } from '../helpers/reliability.ts';
import { appEvent, send, signedHeaders, SECRET } from './helpers.ts';

const keep = closeAfterEach();

describe('listen health', () => {
  it('/healthz reports degraded (503 with ?strict) with the reason after a failed batch, and ok after a good one', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 4, seed: 235 }, destination: { retries: 0 }, config: 'listen:\n  port: 0' }));
    const listener = s.spawn(['listen'], { FRONT_WEBHOOK_SECRET: SECRET });
    try {
      await waitUntil(() => /listening on http/.test(listener.output().stdout), 15_000, 'listen to start');
      const url = /listening on (http:\/\/\S+)/.exec(listener.output().stdout)![1]!;
      const base = new URL(url).origin;
      const health = async (query = '') => {
        const answer = await send(`${base}/healthz${query}`, { method: 'GET' });
        return { status: answer.status, body: answer.json() as { ok: boolean; status: string; reason?: string; since?: string } };
      };
      expect(await health('?strict')).toMatchObject({ status: 200, body: { ok: true, status: 'ok' } });

      await s.receiver.down();
      const event = appEvent(s.sandbox.control.truth().conversations[0]!.id);
      expect((await send(url, { headers: signedHeaders(event), body: event })).status).toBe(200);
      let degraded = await health();
      for (let i = 0; i < 300 && degraded.body.ok; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        degraded = await health();
      }
      expect(degraded).toMatchObject({ status: 200, body: { ok: false, status: 'degraded' } });
      expect(degraded.body.reason).toMatch(/destination .* unavailable/);
      expect(Date.parse(degraded.body.since!)).not.toBeNaN();
      expect(await health('?strict')).toMatchObject({ status: 503, body: { status: 'degraded' } });

      await s.receiver.up();
      await waitUntil(() => s.receiver.accepted().length === 1, 30_000, 'the batch retried once the destination is back');
      let back = await health('?strict');
      for (let i = 0; i < 100 && back.status !== 200; i++) back = await health('?strict');
      expect(back).toMatchObject({ status: 200, body: { ok: true, status: 'ok' } });
    } finally {
      listener.child.kill('SIGTERM');
      expect((await listener.done).code).toBe(0);
    }
  });
});
