// `front-import listen` end to end: the real binary receives the sandbox's signed webhooks and
// delivers Highlights to a local receiver. Needs `npm run build` first.

import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAfterEach } from '../helpers/e2e.ts';
import { importable, latestById, scenario, type Scenario } from '../helpers/e2e.ts';
import type { RunResult } from '../helpers/cli.ts';
import { appEvent, RULE_SECRET, send, signedHeaders, SECRET } from './helpers.ts';
import { waitUntil } from '../helpers/reliability.ts';

const LISTEN_CONFIG = ['listen:', '  port: 0'].join('\n');
const ENV = { FRONT_WEBHOOK_SECRET: SECRET };

const keep = closeAfterEach();
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Listener {
  url: string;
  base: string;
  child: ChildProcess;
  done: Promise<RunResult>;
  stdout(): string;
}

async function startListen(s: Scenario): Promise<Listener> {
  const { child, done } = s.spawn(['listen'], ENV);
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen did not start: ${out}${err}`)), 45_000); // a spawned binary: slow to start on a loaded machine
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void done.then((r) => reject(new Error(`listen exited ${r.code}: ${r.stderr}`)));
  });
  return { url, base: new URL(url).origin, child, done, stdout: () => out };
}

const waitFor = (cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> => waitUntil(cond, timeoutMs, what);

async function status(s: Scenario) {
  const r = await s.cli(['status', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { listener: { received: number; rejected: number; queued: number; processed: number } };
}

function expectNoDuplicates(s: Scenario): void {
  const pairs = s.receiver.accepted().map((a) => `${a.id}@${a.version}`);
  expect(new Set(pairs).size).toBe(pairs.length);
}

describe('listen', () => {
  it('refuses to start without a webhook secret', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 1 }, config: LISTEN_CONFIG }));
    const r = await s.cli(['listen']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FRONT_WEBHOOK_SECRET/);
  });

  it('fails with a usage error when the port is taken', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 1 } }));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const r = await s.cli(['listen', '--port', String((taken.address() as AddressInfo).port)], ENV);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
    } finally {
      taken.close();
    }
  });

  it('answers the challenge and turns the sandbox\'s signed events into Highlights, then stops cleanly', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 31 }, config: LISTEN_CONFIG }));
    const l = await startListen(s);
    expect(l.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/front\/webhook$/);
    expect(l.stdout()).toContain('(app webhooks: signature required)');
    const { control } = s.sandbox;
    control.setWebhook({ url: l.url, secret: SECRET });
    await control.flushWebhooks();
    expect(control.webhookLog()).toEqual([{ eventId: null, type: 'sync', status: 200, challengeAnswered: true }]);

    const [a, b, c] = control.truth().conversations.filter((x) => x.status !== 'archived' && x.status !== 'deleted').map((x) => x.id);
    control.tag(a!, 'webhook-e2e');
    control.addMessage(b!, { text: 'Reply that arrived through a webhook' });
    control.setStatus(c!, 'archived');
    await control.flushWebhooks();
    const events = control.webhookLog().slice(1);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.status === 200)).toBe(true);

    const byId = () => latestById(s.receiver);
    await waitFor(() => {
      const h = byId();
      return (
        (h.get(`front:${a}`)?.tags as string[] | undefined)?.includes('webhook-e2e') === true &&
        String(h.get(`front:${b}`)?.text ?? '').includes('Reply that arrived through a webhook') &&
        h.get(`front:${c}`)?.status === 'archived'
      );
    }, 'the three changed conversations at the receiver');
    // Only the conversations the events named: listen does not sweep the workspace.
    expect([...byId().keys()].sort()).toEqual([a, b, c].map((id) => `front:${id}`).sort());
    expectNoDuplicates(s);

    l.child.kill('SIGTERM');
    const r = await l.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/listen: \d+ events?, \d+ conversations?/);
    expect(r.stdout).toContain('listen: stopped');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toMatch(/front-import:/);
    expect((await status(s)).listener).toMatchObject({ queued: 0, rejected: 0 });
  });

  it('stops on SIGTERM in the middle of a batch with exit 0, leaving the event queued for the next start', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 5, seed: 34 }, config: LISTEN_CONFIG }));
    const l = await startListen(s);
    // Front turns slow only now: start-up's own read (/me, for the company binding) answers at once.
    s.sandbox.control.setFaults({ latencyMs: 3_000 });
    const target = s.sandbox.control.truth().conversations[0]!.id;
    const event = appEvent(target, 'evt_e2e_sigterm');
    expect((await send(l.url, { headers: signedHeaders(event), body: event })).status).toBe(200);
    // The sandbox logs a request as it arrives (status 0 until it answers): SIGTERM once the batch's
    // read of the conversation is in flight, after the worker's gathering pause.
    const read = () => s.sandbox.control.requestLog().find((e) => e.path === `/conversations/${target}`);
    await waitFor(() => read() !== undefined, 'the batch to read the conversation');
    l.child.kill('SIGTERM');
    const r = await l.done;
    expect(r.code).toBe(0);
    // The slow Front request was abandoned, not waited for (the process was gone before Front
    // answered it), and not counted as a failure.
    expect(read()!.status).toBe(0);
    expect(r.stderr).not.toMatch(/failed|front-import:/);
    expect(r.stdout).toContain('listen: stopped; 1 event left in the queue');
    expect(s.receiver.accepted()).toEqual([]);
  });

  it('refuses forged, stale, oversized and non-JSON requests, and processes a redelivered event once', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 32 }, config: LISTEN_CONFIG }));
    const l = await startListen(s);
    const target = s.sandbox.control.truth().conversations[0]!.id;
    const other = s.sandbox.control.truth().conversations[1]!.id;
    s.sandbox.control.clearRequestLog();

    const event = appEvent(target, 'evt_e2e_dup');
    expect((await send(l.url, { headers: signedHeaders(event), body: event })).json()).toEqual({ ok: true, duplicate: false });
    expect((await send(l.url, { headers: signedHeaders(event), body: event })).json()).toEqual({ ok: true, duplicate: true });

    const forged = appEvent(other, 'evt_e2e_forged');
    const refusals = [
      await send(l.url, { headers: signedHeaders(forged, { secret: 'not-the-secret' }), body: forged }),
      await send(l.url, { headers: signedHeaders(forged, { timestamp: Date.now() - 10 * 60_000 }), body: forged }),
      await send(l.url, { headers: signedHeaders('{not json'), body: '{not json' }),
      await send(l.url, { headers: { ...signedHeaders(forged), 'content-length': String(2 * 1024 * 1024) }, writeBody: (req) => req.flushHeaders() }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 400, 413]);

    await waitFor(() => s.receiver.accepted().length === 1, 'the one real event');
    const health = await send(`${l.base}/healthz`, { method: 'GET' });
    expect(health.json()).toMatchObject({ ok: true });

    l.child.kill('SIGTERM');
    expect((await l.done).code).toBe(0);
    expect(s.receiver.accepted().map((a) => a.id)).toEqual([`front:${target}`]);
    const fetches = s.sandbox.control.requestLog().filter((e) => e.pathTemplate === '/conversations/{conversation_id}');
    expect(fetches.map((e) => e.path)).toEqual([`/conversations/${target}`]);
    expect((await status(s)).listener).toMatchObject({ received: 2, rejected: 4, queued: 0, processed: 1 });
  });

  it('survives kill -9 with a queued backlog: the restart processes every event, and a later sync duplicates nothing', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 33, faults: { latencyMs: 150 } }, config: LISTEN_CONFIG }));
    const { control } = s.sandbox;
    const first = await startListen(s);
    control.setWebhook({ url: first.url, secret: SECRET });
    await control.flushWebhooks();
    const ids = importable(control.truth().conversations).slice(0, 15).map((c) => c.id);
    for (const id of ids) control.tag(id, 'backlog');
    await control.flushWebhooks();
    expect(control.webhookLog().slice(1).every((e) => e.status === 200)).toBe(true);

    first.child.kill('SIGKILL');
    await first.done;
    const tagged = () => [...latestById(s.receiver).values()].filter((h) => (h.tags as string[]).includes('backlog')).map((h) => h.id);
    expect(tagged().length).toBeLessThan(ids.length);
    const before = (await status(s)).listener;
    expect(before.queued).toBeGreaterThan(0);

    control.setFaults({ latencyMs: 0 });
    const second = await startListen(s);
    await waitFor(() => tagged().length === ids.length, 'every tagged conversation after the restart');
    expect(tagged().sort()).toEqual(ids.map((id) => `front:${id}`).sort());
    second.child.kill('SIGTERM');
    expect((await second.done).code).toBe(0);
    expect(second.stdout()).toMatch(/resuming \d+ queued webhook event/);
    expect((await status(s)).listener.queued).toBe(0);

    const sync = await s.cli(['sync']);
    expect(sync.code).toBe(0);
    expectNoDuplicates(s);
  });
});

describe('listen at one request or less per event', () => {
  // The ticket status names are read once per listener process, not per event.
  const perEvent = (s: Scenario) => s.sandbox.control.requestLog().filter((e) => e.path !== '/company/statuses');
  const frontRequests = (s: Scenario) => perEvent(s).length;

  it('bursts of app-webhook events on a conversation cost one read of it: at most half a request per event', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 37 }, config: LISTEN_CONFIG }));
    const l = await startListen(s);
    const { control } = s.sandbox;
    control.setWebhook({ url: l.url, secret: SECRET });
    await control.flushWebhooks();
    const ids = importable(control.truth().conversations).slice(0, 10).map((c) => c.id);
    control.clearRequestLog();
    for (const id of ids) {
      control.addMessage(id, { text: `First reply in the burst on ${id}` });
      control.tag(id, 'burst');
      control.addMessage(id, { text: `Last reply in the burst on ${id}` });
      control.tag(id, 'burst-2');
    }
    await control.flushWebhooks();
    const events = control.webhookLog().slice(1);
    expect(events.every((e) => e.status === 200)).toBe(true);
    await waitFor(() => ids.every((id) => String(latestById(s.receiver).get(`front:${id}`)?.text ?? '').includes(`Last reply in the burst on ${id}`)), 'every burst at the receiver');
    await waitFor(() => s.receiver.accepted().length > 0 && frontRequests(s) > 0, 'requests');
    expect(frontRequests(s) / events.length).toBeLessThanOrEqual(0.5);
    for (const id of ids) expect(latestById(s.receiver).get(`front:${id}`)!.tags).toEqual(expect.arrayContaining(['burst', 'burst-2']));
    expectNoDuplicates(s);
  });

  it('rule webhooks with full event data import with no Front request, refuse a wrong secret, and never take a body over a newer stored state', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 38 }, config: [LISTEN_CONFIG, `  ruleSecret: ${RULE_SECRET}`].join('\n') }));
    const l = await startListen(s);
    const { control } = s.sandbox;
    const ids = importable(control.truth().conversations).slice(0, 8).map((c) => c.id);
    control.setWebhook({ url: l.url, secret: 'not-the-rule-secret', kind: 'rule-full' });
    control.addMessage(ids[0]!, { text: 'Sent with the wrong secret' });
    await control.flushWebhooks();
    expect(control.webhookLog().map((d) => d.status)).toEqual([401]);

    control.setWebhook({ url: l.url, secret: RULE_SECRET, kind: 'rule-full' });
    control.clearRequestLog();
    for (const id of ids) control.addMessage(id, { text: `Full event reply on ${id}` });
    await control.flushWebhooks();
    expect(control.webhookLog().slice(1).every((d) => d.status === 200)).toBe(true);
    await waitFor(() => ids.every((id) => String(latestById(s.receiver).get(`front:${id}`)?.text ?? '').includes(`Full event reply on ${id}`)), 'every full event at the receiver');
    expect(perEvent(s)).toEqual([]);

    // An event whose body is older than what is stored (a late retry): nothing changes, no request.
    const id = ids[1]!;
    const stored = latestById(s.receiver).get(`front:${id}`)!;
    const stale = JSON.stringify({
      id: 'evt_stale_full',
      type: 'inbound',
      emitted_at: 1_000,
      conversation: { ...control.truth().conversations.find((c) => c.id === id), id, status: 'unassigned', tags: [], updated_at: 1_000, _links: { related: { last_message: 'http://x/messages/msg_old' } } },
      target: { _meta: { type: 'message' }, data: { id: 'msg_old', body: '<p>an old body</p>', is_inbound: true, created_at: 1_000 } },
    });
    const before = s.receiver.accepted().length;
    const processed = (await status(s)).listener.processed;
    expect((await send(`${l.url}/${RULE_SECRET}`, { headers: { 'content-type': 'application/json' }, body: stale })).status).toBe(200);
    for (let i = 0; i < 100 && (await status(s)).listener.processed <= processed; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await status(s)).listener.processed).toBe(processed + 1);
    expect(s.receiver.accepted().length).toBe(before);
    expect(latestById(s.receiver).get(`front:${id}`)!.version).toBe(stored.version);
    expect(perEvent(s)).toEqual([]);
    expect((await status(s)).listener.queued).toBe(0);
  });
});
