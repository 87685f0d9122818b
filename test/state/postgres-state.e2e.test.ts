// PostgreSQL state through the real binary: runs on different "machines" (work dirs with their own
// HOME, config and no local state file) share one database; a kill -9 on one is resumed on another,
// two syncs never overlap, status names the store without its password.

import { copyFileSync, existsSync, statSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { activeSince, closeAfterEach, importable, inProcess, scenario } from '../helpers/e2e.ts';
import { listenOn, machine, type Machine } from '../helpers/machines.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { startPgServer } from '../helpers/pg-server.mjs';
import { auditDelivery, waitUntil } from '../helpers/reliability.ts';
import { SECRET } from '../listen/helpers.ts';

const DAY = 86_400_000;
const keep = closeAfterEach();

async function tablesIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** A TCP relay to the database's server that counts the connections made through it. */
async function connectionCounter(url: string): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const target = new URL(url);
  let connections = 0;
  const open = new Set<Socket>();
  const relay = createServer((client) => {
    connections += 1;
    const server = connect(Number(target.port), target.hostname);
    for (const socket of [client, server]) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => open.delete(socket));
    }
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const through = new URL(url);
  through.port = String((relay.address() as AddressInfo).port);
  return {
    url: through.toString(),
    connections: () => connections,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    },
  };
}

async function waitForNoAdvisoryLock(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      if (rows[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the killed runner still holds its advisory lock after 5 s');
  } finally {
    await client.end();
  }
}

describe('PostgreSQL state across machines', () => {
  it('a backfill killed with kill -9 on one machine is resumed on another: 0 missing, 0 duplicate versions', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 600, seed: 151, plan: 'enterprise', windowMs: 250 }, destination: { batchSize: 25 } }));
    const url = await freshPgDatabase();
    const a = machine(s, url);
    const b = machine(s, url);
    const killWhen = async (m: Machine, condition: () => boolean, what: string) => {
      const running = m.spawn(['backfill', '--since', '8d', '--json']);
      await waitUntil(() => condition() || running.child.exitCode !== null, 60_000, what);
      running.child.kill('SIGKILL');
      const done = await running.done;
      // The server ends the dead runner's session (and so its lock) once it sees the socket close:
      // at once, but on a loaded machine not before the next spawn is up.
      await waitForNoAdvisoryLock(url);
      return done;
    };
    // A dies while fetching: its checkpoint and pages are in PostgreSQL.
    const killedFetching = await killWhen(a, () => s.sandbox.control.requestLog().length >= 80, 'machine A fetching');
    expect(killedFetching.signal, killedFetching.stderr).toBe('SIGKILL');
    const requestsByA = s.sandbox.control.requestLog().length;
    expect(s.receiver.batches).toHaveLength(0);
    // B goes on with A's fetch and dies while delivering: its open batch is in PostgreSQL too.
    const deliveredBy = () => s.receiver.batches.length;
    const killedDelivering = await killWhen(b, () => deliveredBy() >= 3, 'machine B delivering');
    expect(killedDelivering.signal, killedDelivering.stderr).toBe('SIGKILL');
    // A, back on its own machine, finishes: same key for the batch B had in flight.
    const finished = await a.cli(['backfill', '--since', '8d', '--json']);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toMatch(/took over the lock left by backfill/);
    const afterA = s.sandbox.control.requestLog().length;
    expect(existsSync(a.work.db) || existsSync(b.work.db)).toBe(false);

    const expected = activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`);
    const audit = auditDelivery(s.receiver, expected);
    expect(audit.missing).toEqual([]);
    expect(audit.unexpected).toEqual([]);
    expect(audit.duplicateVersions).toEqual([]);
    expect(audit.delivered).toBe(expected.length);

    const status = JSON.parse((await a.cli(['status', '--json'])).stdout);
    expect(status.storeKind).toBe('postgres');
    expect(status.totals).toMatchObject({ conversations: expected.length, delivered: expected.length, pending: 0 });
    expect(status.runs.map((r: { outcome: string }) => r.outcome)).toEqual(['success', 'interrupted', 'interrupted']);
    // B did not start over: it read on from A's checkpoint, so B and A's second run together asked
    // Front for less than one uninterrupted run does.
    const before = s.sandbox.control.requestLog().length;
    const reference = await s.reference(['backfill', '--since', '8d']);
    expect(reference.result.code).toBe(0);
    const referenceRequests = s.sandbox.control.requestLog().length - before;
    expect(afterA - requestsByA).toBeLessThan(referenceRequests);
  });

  it('two syncs on two machines: one runs, the other exits 4 at once naming the holder', async () => {
    // Front holds every answer past /me: the first run stands still holding the lock.
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 152 }, destination: { batchSize: 10 } }));
    const url = await freshPgDatabase();
    const a = machine(s, url);
    const b = machine(s, url);
    s.sandbox.control.holdRequests();
    const first = a.spawn(['sync', '--since', '8d']);
    await waitUntil(() => s.sandbox.control.requestLog().some((e) => e.path !== '/me'), 30_000, 'the first sync fetching');
    const second = await b.cli(['sync']);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/another front-import sync \(pid \d+ on .+, since .+\) holds the import lock on postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
    s.sandbox.control.releaseRequests();
    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    // Once the first is done the lock is free again.
    const third = await b.cli(['sync']);
    expect(third.code, third.stderr).toBe(0);
  });

  it('status names the PostgreSQL store and never prints its password, creates nothing in an empty database, and fails clearly when the server is unreachable', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 5, seed: 153 } }));
    const url = await freshPgDatabase();
    const a = machine(s, url);
    const status = await a.cli(['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/store\s+postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+ \(PostgreSQL\) \(not created yet: run backfill or sync\)/);
    expect(status.stdout + status.stderr).not.toContain('test-password');
    expect(await tablesIn(url)).toBe(0);
    expect((await a.cli(['backfill', '--since', '8d'])).code).toBe(0);
    expect(await tablesIn(url)).toBeGreaterThan(0);
    expect((await a.cli(['status'])).stdout).not.toContain('not created yet');

    // A monitor's status every few minutes costs one connection (each is a server process and an
    // authentication): sslmode=prefer first asks for TLS, which this server refuses, then one does it all.
    const relay = await connectionCounter(url);
    try {
      const counted = await inProcess(['status'], a.work.dir, { ...a.work.env, FRONT_IMPORT_DB: undefined, FRONT_IMPORT_STATE_URL: relay.url });
      expect(counted.code, counted.stderr).toBe(0);
      expect(counted.stdout).toMatch(/highlights\s+[1-9]\d* imported/);
      expect(relay.connections()).toBe(2);
    } finally {
      await relay.close();
    }

    const down = new URL(url);
    down.port = '1';
    const unreachable = await inProcess(['status'], a.work.dir, { ...a.work.env, FRONT_IMPORT_DB: undefined, FRONT_IMPORT_STATE_URL: down.toString() });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/PostgreSQL state postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/\w+ is unreachable \(ECONNREFUSED\)/);
    expect(unreachable.stdout + unreachable.stderr).not.toContain('test-password');
  });
});

describe('PostgreSQL restarted mid-run', () => {
  it('the run stops with a clear error and exit 2, nothing is lost, and the next run completes', async () => {
    const server = await startPgServer();
    try {
      const s = keep(await scenario({ sandbox: { conversations: 300, seed: 154, plan: 'enterprise', windowMs: 250 }, destination: { batchSize: 10 } }));
      s.receiver.behave({ delayMs: 20 });
      const a = machine(s, await server.createDatabase());
      const interrupted = a.spawn(['backfill', '--since', '8d']);
      await waitUntil(() => s.receiver.batches.length >= 2 || interrupted.child.exitCode !== null, 60_000, 'the backfill delivering');
      await server.restart();
      const failed = await interrupted.done;
      expect(failed.code, failed.stderr).toBe(2);
      expect(failed.stderr).toMatch(/PostgreSQL state postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+: (the connection was lost|lost the connection holding the import lock)/);
      expect(failed.stderr).not.toContain('test-password');
      expect(s.receiver.accepted().length).toBeLessThan(300);

      const next = await a.cli(['backfill', '--since', '8d']);
      expect(next.code, next.stderr).toBe(0);
      const expected = activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`);
      const audit = auditDelivery(s.receiver, expected);
      expect(audit.missing).toEqual([]);
      expect(audit.duplicateVersions).toEqual([]);
      expect(audit.unexpected).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('state export / import through the binary', () => {
  it('moves a SQLite state with a cursor, pending and refused items to PostgreSQL, where the next sync goes on', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 155 } }));
    const truth = importable(s.sandbox.control.truth().conversations);
    const refusedId = `front:${truth[0]!.id}`;
    s.receiver.behave({ poison: [refusedId] });
    const first = await s.cli(['sync', '--since', '8d']);
    expect([0, 7]).toContain(first.code);
    // Changes the destination cannot take yet: they stay pending in the state.
    for (const c of truth.slice(1, 6)) s.sandbox.control.tag(c.id, 'moved');
    s.receiver.behave({ poison: [refusedId], failNext: { count: 1000, status: 503 } });
    const failing = await s.cli(['sync']);
    expect(failing.code).toBe(6);
    const before = JSON.parse((await s.cli(['status', '--json'])).stdout);
    expect(before.totals.pending).toBeGreaterThan(0);
    expect(before.totals.failed).toBe(1);

    const file = join(s.work.dir, 'state.jsonl');
    const exported = await s.cli(['state', 'export', file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const url = await freshPgDatabase();
    const b = machine(s, url);
    copyFileSync(file, join(b.work.dir, 'state.jsonl'));
    const imported = await b.cli(['state', 'import', 'state.jsonl']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout + imported.stderr).not.toContain('test-password');

    const after = JSON.parse((await b.cli(['status', '--json'])).stdout);
    expect({ ...after.cursor, ageMs: 0 }).toEqual({ ...before.cursor, ageMs: 0 });
    expect(after.totals).toEqual(before.totals);
    expect(after.runs.map((r: { id: number }) => r.id)).toEqual(before.runs.map((r: { id: number }) => r.id));
    // Importing again is refused: the state is no longer empty.
    expect((await b.cli(['state', 'import', 'state.jsonl'])).code).toBe(2);

    s.receiver.behave({ failNext: { count: 0, status: 503 } });
    const next = await b.cli(['sync']);
    expect([0, 7]).toContain(next.code);
    const final = JSON.parse((await b.cli(['status', '--json'])).stdout);
    expect(final.totals).toMatchObject({ pending: 0, failed: 1 });
    const pairs = s.receiver.accepted().map((a) => `${a.id}@${a.version}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('carries the webhook queue: an event a SQLite listener could not process yet is processed by a listener on the imported PostgreSQL state', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 6, seed: 156 }, config: 'listen:\n  port: 0\n' }));
    const { control } = s.sandbox;
    const target = importable(control.truth().conversations)[0]!;
    const first = await listenOn(s, { FRONT_WEBHOOK_SECRET: SECRET });
    // Front cannot serve the conversation for now: the event stays queued, retried with backoff.
    control.failNext({ count: 10_000, path: `/conversations/${target.id}`, status: 503 });
    control.setWebhook({ url: first.url, secret: SECRET });
    control.tag(target.id, 'queued-across');
    await control.flushWebhooks();
    const reads = () => control.requestLog().filter((e) => e.path === `/conversations/${target.id}`);
    await waitUntil(() => reads().length > 0, 20_000, 'the listener to try the conversation');
    first.started.child.kill('SIGTERM');
    expect((await first.started.done).code).toBe(0);
    const before = JSON.parse((await s.cli(['status', '--json'])).stdout).listener;
    expect(before.queued).toBeGreaterThan(0);

    const file = join(s.work.dir, 'state.jsonl');
    expect((await s.cli(['state', 'export', file])).code).toBe(0);
    const b = machine(s, await freshPgDatabase());
    copyFileSync(file, join(b.work.dir, 'state.jsonl'));
    const imported = await b.cli(['state', 'import', 'state.jsonl']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse((await b.cli(['status', '--json'])).stdout).listener).toEqual(before);

    control.clearFaults();
    const second = await listenOn(b, { FRONT_WEBHOOK_SECRET: SECRET });
    try {
      const tagged = () => s.receiver.batches.some((batch) => batch.highlights.some((h) => h.id === `front:${target.id}` && (h.tags as string[]).includes('queued-across')));
      await waitUntil(tagged, 30_000, 'the queued event processed on the PostgreSQL state');
      // The event is marked processed once its batch is delivered: a few status reads at most.
      let queued = -1;
      for (let tries = 0; tries < 20 && queued !== 0; tries++) queued = JSON.parse((await b.cli(['status', '--json'])).stdout).listener.queued;
      expect(queued).toBe(0);
    } finally {
      second.started.child.kill('SIGTERM');
      await second.started.done;
    }
  });
});
