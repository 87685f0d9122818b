// OAuth refreshes racing across processes (issue 20), through the real binary: a `listen` and a
// cron `sync` (and, on a PostgreSQL state, processes on two "machines" with their own HOME, so the
// token set lives only in the state, sealed) all find the access token expired at once, with
// ROTATING refresh tokens, where two refreshes with one refresh token end in invalid_grant. The
// sandbox holds Front's token answer open, so the moment is real: the test waits until one refresh
// is held at Front and every other process says it waits for that one, then lets it go.

import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Started } from '../helpers/cli.ts';
import { activeSince, closeAfterEach, idsOf, latestById, scenario, type Scenario } from '../helpers/e2e.ts';
import { listenOn, machine } from '../helpers/machines.ts';
import { connectOAuth, oauthEnv, oauthSecrets, outlive, SECRET_KEY } from '../helpers/oauth.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { filesUnder, findSecrets, waitUntil } from '../helpers/reliability.ts';
import { SECRET } from '../listen/helpers.ts';

const keep = closeAfterEach();
const running: Started[] = [];
afterEach(() => {
  for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
});

/**
 * Real expiries (the binary's clock is the real one), long enough that a request slowed by a loaded
 * machine is not answered 401 twice; each test spawns two or three binaries at once, so it is
 * allowed two minutes on a machine shared by several test runs.
 */
const LIFETIME_MS = 2000;
/** Raced refreshes per test. */
const ROUNDS = 1;
const WAITING = /another process is refreshing the access token; waiting for its token set/g;

/** What `backfill --since 7d` and the syncs after it import. */
const recent = (s: Scenario) => activeSince(s.sandbox, Date.now() - 7 * 86_400_000);
const output = (p: Started): string => p.output().stdout + p.output().stderr;
const waitLines = (p: Started): number => output(p).match(WAITING)?.length ?? 0;

function oauthScenario(seed: number): Promise<Scenario> {
  return scenario({
    sandbox: { seed, conversations: 8, oauth: { lifetimeMs: LIFETIME_MS, refreshTokens: 'rotating', autoApprove: true } },
    config: 'listen:\n  port: 0\n',
  });
}

/**
 * One raced refresh: after the access token ran out, Front's token answers are held; a webhook sets
 * the listener(s) fetching, `start()` starts the other processes; once exactly one refresh is held
 * at Front and each other process waits for it, it is let go. Returns the processes `start` made.
 */
async function racedRefresh(s: Scenario, round: number, listeners: Started[], start: () => Started[]): Promise<Started[]> {
  const { control } = s.sandbox;
  await outlive(LIFETIME_MS);
  control.configureOAuth({ hold: 'request' });
  const waitedBefore = listeners.map(waitLines);
  const target = idsOf(recent(s))[round]!.replace('front:', '');
  control.tag(target, `raced-${round}`);
  await control.flushWebhooks();
  const started = start();
  running.push(...started);
  const all = [...listeners, ...started];
  const waiting = () => all.filter((p, i) => waitLines(p) > (waitedBefore[i] ?? 0)).length;
  await waitUntil(() => control.oauthStats().held >= 1 && waiting() === all.length - 1, 30_000, `one refresh held at Front and ${all.length - 1} process(es) waiting for it`);
  expect(control.oauthStats().held).toBe(1);
  control.configureOAuth({ hold: 'none' });
  for (const p of started) {
    const done = await p.done;
    expect(done.code, done.stderr).toBe(0);
  }
  await waitUntil(() => (latestById(s.receiver).get(`front:${target}`)?.tags as string[] | undefined)?.includes(`raced-${round}`) ?? false, 30_000, `the listener delivering round ${round}'s change`);
  return started;
}

/** Every conversation delivered, each round's change included; the refreshes never overlapped at Front. */
function expectSerialisedAndDelivered(s: Scenario): void {
  const stats = s.sandbox.control.oauthStats();
  expect(stats.invalidGrants).toBe(0);
  expect(stats.peakConcurrentRefreshes).toBe(1);
  expect(stats.refreshes).toBeGreaterThanOrEqual(ROUNDS);
  expect([...latestById(s.receiver).keys()].sort()).toEqual(idsOf(recent(s)));
}

async function stop(listener: Started): Promise<void> {
  listener.child.kill('SIGTERM');
  const done = await listener.done;
  expect(done.code, done.stderr).toBe(0);
}

describe('OAuth refreshes racing across processes (rotating refresh tokens)', () => {
  it('SQLite state: a listen and a cron sync refreshing at the same moment: one refresh at Front, the other waits for its set; no invalid_grant, every Highlight delivered, exit 0', { timeout: 120_000 }, async () => {
    const s = keep(await oauthScenario(171));
    const env = oauthEnv(s);
    await connectOAuth(s, s.work.dir, { ...s.work.env, ...env });
    expect((await s.cli(['backfill', '--since', '7d'], env)).code).toBe(0);
    const listener = await listenOn(s, { ...env, FRONT_WEBHOOK_SECRET: SECRET }, ['--verbose']);
    running.push(listener.started);
    s.sandbox.control.setWebhook({ url: listener.url, secret: SECRET });

    for (let round = 0; round < ROUNDS; round++) await racedRefresh(s, round, [listener.started], () => [s.spawn(['sync', '--verbose'], env)]);

    await stop(listener.started);
    expectSerialisedAndDelivered(s);
    expect(output(listener.started)).not.toMatch(/invalid_grant|\b401\b/);
  });

  it('PostgreSQL state, two machines (own HOME, no shared file): a listen on one, a sync and a connect --check on the other, refreshing at once; the set lives only in the state, sealed', { timeout: 120_000 }, async () => {
    const s = keep(await oauthScenario(172));
    const url = await freshPgDatabase();
    const a = machine(s, url);
    const b = machine(s, url);
    const env = { ...oauthEnv(s), FRONT_IMPORT_SECRET_KEY: SECRET_KEY };
    const connected = await connectOAuth(s, a.work.dir, { ...a.env, ...env });
    expect(connected.stdout).toMatch(/token set stored in the state, encrypted/);
    expect((await b.cli(['backfill', '--since', '7d'], env)).code).toBe(0);
    const listener = await listenOn(a, { ...env, FRONT_WEBHOOK_SECRET: SECRET }, ['--verbose']);
    running.push(listener.started);
    s.sandbox.control.setWebhook({ url: listener.url, secret: SECRET });

    const outputs: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = await racedRefresh(s, round, [listener.started], () => [b.spawn(['sync', '--verbose'], env), b.spawn(['connect', '--check', '--verbose'], env)]);
      outputs.push(...started.map(output));
    }

    await stop(listener.started);
    expectSerialisedAndDelivered(s);
    outputs.push(output(listener.started));
    // Neither machine has a token file, nor any token anywhere in its files; the state holds the set sealed.
    const secrets = oauthSecrets(s);
    expect(findSecrets(secrets, [...filesUnder(a.work.dir), ...filesUnder(b.work.dir)])).toEqual([]);
    expect(findSecrets(secrets, outputs.map((bytes, i) => ({ label: `output ${i + 1}`, bytes })))).toEqual([]);
    expect(findSecrets(secrets, await databaseRows(url))).toEqual([]);
  });
});

/** Every row of every table of the database, as text. */
async function databaseRows(url: string): Promise<{ label: string; bytes: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>("SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')");
    expect(tables.length).toBeGreaterThan(0);
    const out: { label: string; bytes: string }[] = [];
    for (const { name } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
      out.push({ label: `table ${name}`, bytes: rows.map((r) => r.row).join('\n') });
    }
    return out;
  } finally {
    await client.end();
  }
}
