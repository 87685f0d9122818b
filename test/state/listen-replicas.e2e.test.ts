// Replicated listeners on one PostgreSQL state: three `listen` processes behind a "load balancer"
// that hands every Front webhook to two of them. The shared queue dedupes by event id across
// replicas and each event is processed once, by whichever replica claimed it: one Front fetch per
// conversation, one delivery per Highlight version, and the replicas share the work.

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Started } from '../helpers/cli.ts';
import { closeAfterEach, importable, scenario } from '../helpers/e2e.ts';
import { listenOn, machine } from '../helpers/machines.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { waitUntil } from '../helpers/reliability.ts';
import { send, SECRET } from '../listen/helpers.ts';

const EVENTS = 300;
const REPLICAS = 3;
const keep = closeAfterEach();
const running: Started[] = [];
afterEach(() => {
  for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
});

interface Captured {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Stands in for the load balancer: records the sandbox's signed webhooks, to replay them. */
async function captureWebhooks(): Promise<{ url: string; events: Captured[]; close(): Promise<void> }> {
  const events: Captured[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      events.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: JSON.parse(body).payload?.challenge }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    events,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('listen replicas on one PostgreSQL state', () => {
  it(`${REPLICAS} replicas fed ${EVENTS} signed events, each sent to two of them: each Highlight version delivered once`, { timeout: 180_000 }, async () => {
    const s = keep(await scenario({ sandbox: { conversations: EVENTS, seed: 161, plan: 'enterprise', windowMs: 250 }, config: 'listen:\n  port: 0' }));
    const url = await freshPgDatabase();
    const { control } = s.sandbox;

    // One signed event per conversation, as Front would send them.
    const capture = await captureWebhooks();
    try {
      control.setWebhook({ url: capture.url, secret: SECRET });
      const ids = control.truth().conversations.map((c) => c.id);
      expect(ids).toHaveLength(EVENTS);
      for (const id of ids) control.tag(id, 'replicated');
      await control.flushWebhooks();
    } finally {
      await capture.close();
    }
    const events = capture.events.filter((e) => JSON.parse(e.body).type !== 'sync');
    expect(events).toHaveLength(EVENTS);

    const replicas: Awaited<ReturnType<typeof listenOn>>[] = [];
    for (let i = 0; i < REPLICAS; i++) {
      const replica = await listenOn(machine(s, url), { FRONT_WEBHOOK_SECRET: SECRET });
      running.push(replica.started);
      replicas.push(replica);
    }
    s.sandbox.control.clearRequestLog();
    // Event i goes to replicas i and i+1 (mod 3), both copies at once.
    const answers = await Promise.all(
      events.flatMap((e, i) =>
        [i, i + 1].map((r) =>
          send(replicas[r % REPLICAS]!.url, {
            headers: {
              'content-type': 'application/json',
              'x-front-request-timestamp': String(e.headers['x-front-request-timestamp']),
              'x-front-signature': String(e.headers['x-front-signature']),
            },
            body: e.body,
          }),
        ),
      ),
    );
    expect(answers.map((a) => a.status).filter((status) => status !== 200)).toEqual([]);
    // Exactly one of the two copies of each event was new; the other was a duplicate, whichever replica got it.
    expect(answers.filter((a) => a.json<{ duplicate: boolean }>().duplicate === false)).toHaveLength(EVENTS);

    // Spam and trashed conversations are out of the default scope: fetched, not delivered.
    const expected = importable(control.truth().conversations).map((c) => `front:${c.id}`).sort();
    const delivered = () => new Set(s.receiver.accepted().map((a) => a.id)).size;
    await waitUntil(() => delivered() === expected.length, 120_000, `all ${expected.length} Highlights at the receiver`);
    const pairs = s.receiver.accepted().map((a) => `${a.id}@${a.version}`);
    expect(pairs).toHaveLength(expected.length);
    expect([...new Set(s.receiver.accepted().map((a) => a.id))].sort()).toEqual(expected);
    // Processed once: one conversation read each, by whichever replica took the event. A read that
    // met a 429 is asked again; that is a retry, not a second processing, so answered reads are
    // counted. The replicas read in parallel, each pacing itself alone, so they meet at Front's
    // burst limit per resource (5 a second) now and then; a 429 costs no quota, and the bound is
    // there to catch a retry storm, not to forbid those.
    const fetches = control.requestLog().filter((e) => e.pathTemplate === '/conversations/{conversation_id}');
    const answered = fetches.filter((e) => e.status === 200);
    expect(answered).toHaveLength(EVENTS);
    expect(new Set(answered.map((e) => e.path)).size).toBe(EVENTS);
    expect(fetches.length - answered.length).toBeLessThan(EVENTS / 4);

    // A replica marks its events processed once the receiver's answer is recorded, just after the
    // receiver has them: a few status reads at most.
    const listenerStatus = async () => JSON.parse((await machine(s, url).cli(['status', '--json'])).stdout).listener;
    let listener = await listenerStatus();
    for (let tries = 0; tries < 20 && listener.queued !== 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listener = await listenerStatus();
    }
    expect(listener).toMatchObject({ received: 2 * EVENTS, queued: 0, processed: EVENTS });
    for (const r of replicas) r.started.child.kill('SIGTERM');
    const exits = await Promise.all(replicas.map((r) => r.started.done));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    // Each replica's batch lines ("listen: 12 events, 12 conversations: ..."): together every event
    // once, and more than one replica took batches (they claim from the queue, not in turns under a lock).
    const batches = exits.map((e) => [...e.stdout.matchAll(/^listen: (\d+) events?, /gm)].map((m) => Number(m[1])));
    expect(batches.flat().reduce((a, b) => a + b, 0)).toBe(EVENTS);
    expect(batches.filter((lines) => lines.length > 0).length).toBeGreaterThan(1);
  });
});
