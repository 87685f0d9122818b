// Scenario 7: secrets. With --verbose, through every failure (bad input, Front and destination
// faults, servers that echo the token back, locks, corrupt state, kill -9, Ctrl+C), neither token
// appears anywhere: stdout, stderr, the state file and its logs, NDJSON output. The token file is
// 0600, and the destination never gets the Front token. (A `next` link to another host is refused:
// test/reliability/front-faults.test.ts.) Each scenario runs the binary for its first run of a kind
// and for whatever ends a process (kill -9, Ctrl+C, a failure's exit), so "anywhere" includes what
// only a process prints (Node's own warnings, a crash's trace); the runs that only repeat a kind
// already seen through the binary, and the bad inputs, run in-process, where the command writes the
// same stdout and stderr.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BAD_INPUTS, runBadInput } from '../helpers/bad-input.ts';
import { run, type Env, type RunResult } from '../helpers/cli.ts';
import { DEST_TOKEN, scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';
import { approvedCode, oauthEnv, oauthSecrets, tokenFile } from '../helpers/oauth.ts';
import { filesUnder, findSecrets, n, waitUntil, type Place } from '../helpers/reliability.ts';

const keep = closeAfterEach();
let echo: Echo | null = null;
afterEach(async () => {
  await echo?.close();
  echo = null;
});

const searched = { runs: 0, places: 0, bytes: 0 };
afterAll(() => {
  console.log(`secrets: ${searched.runs} --verbose runs searched (${searched.places} places, ${n(searched.bytes)} bytes): no token found anywhere`);
});

/** Everything a run left: its output, every file under the work dir (state, -wal, NDJSON, home), what the receiver got. */
function leftovers(s: Scenario, runs: RunResult[], extra: Place[] = []): Place[] {
  return [
    ...runs.flatMap((r, i) => [
      { label: `stdout of run ${i + 1}`, bytes: r.stdout },
      { label: `stderr of run ${i + 1}`, bytes: r.stderr },
    ]),
    ...filesUnder(s.work.dir),
    ...extra,
  ];
}

/** Asserts no token is in any place; the receiver may hold the destination token, never the Front token. */
function expectNoSecrets(s: Scenario, runs: RunResult[], extra: Place[] = []): void {
  const tokens = { 'Front token': s.sandbox.tokens.full, 'revoked Front token': s.sandbox.tokens.revoked, 'destination token': DEST_TOKEN };
  const places = leftovers(s, runs, extra);
  expect(findSecrets(tokens, places)).toEqual([]);
  const posted = s.receiver.raw.map((r, i) => ({ label: `request ${i + 1} to the destination`, bytes: Buffer.from(JSON.stringify(r.headers) + r.body) }));
  expect(findSecrets({ 'Front token': s.sandbox.tokens.full }, posted)).toEqual([]);
  searched.runs += runs.length;
  searched.places += places.length + posted.length;
  searched.bytes += [...places, ...posted].reduce((sum, p) => sum + Buffer.byteLength(p.bytes), 0);
}

interface Echo {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/**
 * A server that answers everything with `status` and quotes the request's Authorization header (and with `quoteBody`, its
 * body) back, as a careless proxy might.
 * A POST of Highlights is refused naming its first item, as a receiver validating items does: the same answer to every
 * POST would be the endpoint refusing (pipeline/refusal-probe.ts), which stops the run with exit 6 and nothing refused.
 */
async function startEcho(status: number, opts: { quoteBody?: boolean } = {}): Promise<Echo> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const item = firstItem(body);
      const about = opts.quoteBody ? ` for ${body}` : item === undefined ? '' : ` for ${item}`;
      res.writeHead(status, { 'content-type': 'application/json', 'x-echo': auth });
      res.end(JSON.stringify({ _error: { status, title: `Refused ${auth}`, message: `token ${auth} refused${about}` }, error: `token ${auth} refused${about}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first Highlight id of a POSTed batch, if the body is one. */
function firstItem(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { highlights?: { id?: string }[] }).highlights?.[0]?.id;
  } catch {
    return undefined;
  }
}

const SINCE = '8d';

describe('secrets', () => {
  it.each(BAD_INPUTS)('bad input "$name" with --verbose leaks nothing', async (input) => {
    const { s, r } = await runBadInput(input, ['--verbose']);
    keep(s);
    expect(r.code).toBe(input.code);
    expectNoSecrets(s, [r]);
  });

  it('Front failing (5xx, 401, a body echoing the token) and the destination failing (5xx, echoing 422): exits 5, 3, 6 and failed items, no token anywhere', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 91 }, front: { retries: 1 }, destination: { retries: 1 } }));
    const runs: RunResult[] = [];
    const kept = (r: RunResult) => {
      runs.push(r);
      return r;
    };
    const verbose = (args: string[], env?: Record<string, string | undefined>) => s.binary([...args, '--verbose'], env).then(kept);
    // A kind of run the binary already showed once: the same command line in-process.
    const again = (args: string[], env?: Record<string, string | undefined>) => s.cli([...args, '--verbose'], env).then(kept);

    s.sandbox.control.setFaults({ errorRate: 1 });
    expect((await verbose(['backfill', '--since', SINCE])).code).toBe(5);
    s.sandbox.control.setFaults({ errorRate: 0 });
    expect((await verbose(['backfill', '--since', SINCE], { FRONT_API_TOKEN: s.sandbox.tokens.revoked })).code).toBe(3);
    expect((await again(['connect'], { FRONT_API_TOKEN: s.sandbox.tokens.revoked })).code).toBe(3);

    echo = await startEcho(400);
    const echoed = await verbose(['backfill', '--since', SINCE], { FRONT_API_URL: echo.url });
    expect(echoed.code).not.toBe(0);
    expect(echo.requests).toBeGreaterThan(0);

    s.receiver.behave({ failNext: { count: 10, status: 503 } });
    expect((await again(['backfill', '--since', SINCE])).code).toBe(6);
    s.receiver.behave({ failNext: { count: 0, status: 503 } });
    const destinationEcho = await startEcho(422);
    try {
      const refused = await verbose(['backfill', '--since', SINCE, '--to', `${destinationEcho.url}/v1/highlights`]);
      expect(refused.code).toBe(7);
      expect(refused.stderr).toMatch(/refused/);
    } finally {
      await destinationEcho.close();
    }
    const status = await again(['status', '--json']);
    expect(JSON.parse(status.stdout).totals.failed).toBeGreaterThan(0);
    await again(['status']);
    // What Front was sent: only ever the Front token (the sandbox logs which token each request carried).
    expect(new Set(s.sandbox.control.requestLog().map((e) => e.token))).toEqual(new Set(['full', 'revoked']));
    expectNoSecrets(s, runs);
  });

  it('neither the Front token nor the destination token appears in any output of --verbose runs, or in the state file', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 56 }, front: { retries: 1 } }));
    const { control, tokens } = s.sandbox;
    const outputs: RunResult[] = [];
    const step = async (args: string[], env = {}) => outputs.push(await s.binary([...args, '--verbose'], env));
    // A kind of run the binary already showed once: the same command line in-process.
    const again = async (args: string[], env = {}) => outputs.push(await s.cli([...args, '--verbose'], env));

    await step(['connect']);
    await again(['connect', '--json']);
    await step(['backfill', '--since', '8d']);
    control.addConversation({ subject: 'After the backfill' });
    await again(['sync']);
    await step(['status']);
    await again(['status', '--json']);
    control.failNext({ count: 2 });
    await step(['backfill', '--since', '2d']);
    control.setForeignNextOrigin('http://127.0.0.2:9');
    await again(['backfill', '--since', '3d']);
    control.setForeignNextOrigin(null);
    control.addConversation({ subject: 'Refused by the destination' });
    s.receiver.behave({ failNext: { count: 100, status: 401 } });
    await step(['sync']);
    s.receiver.behave({ failNext: { count: 100, status: 503 } });
    await again(['sync']);
    await step(['connect'], { FRONT_API_TOKEN: tokens.revoked });
    await again(['connect', '--check'], { FRONT_API_URL: 'http://127.0.0.1:9' });
    // Before the config is valid nothing knows which value is the token.
    // (Written outside the work dir, whose every file is searched: this one holds the token on purpose.)
    const broken = join(mkdtempSync(join(tmpdir(), 'fi-broken-')), 'broken.yml');
    writeFileSync(broken, `front:\n  token: ${tokens.full}\n  plan: pro\n`);
    await step(['connect', '--config', broken]);
    // It holds the token: not left behind.
    rmSync(dirname(broken), { recursive: true, force: true });
    expect(outputs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 5, 5, 6, 6, 3, 5, 2]);

    expect(outputs.map((r) => r.stdout + r.stderr).join('\n')).toMatch(/GET \/me -> 200/);
    expectNoSecrets(s, outputs);
  });

  it('lock held, corrupt state file, kill -9 and Ctrl+C, NDJSON to a file and to stdout: no token anywhere', async () => {
    // Front holds every answer past /me: the run holding the lock stands still while the next starts.
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 92 } }));
    const runs: RunResult[] = [];
    const ndjson = join(s.work.dir, 'out.ndjson');
    const importing = (after: number) => () => s.sandbox.control.requestLog().slice(after).some((e) => e.path !== '/me');

    s.sandbox.control.holdRequests();
    const holder = s.spawn(['backfill', '--since', SINCE, '--to', ndjson, '--verbose']);
    await waitUntil(importing(0), 30_000, 'the first run to be importing');
    runs.push(await s.binary(['sync', '--verbose']));
    expect(runs.at(-1)!.code).toBe(4);
    holder.child.kill('SIGINT');
    runs.push(await holder.done);
    expect(runs.at(-1)!.code).toBe(130);
    s.sandbox.control.releaseRequests();

    // Under way: its first answers past /me are in, the next are held when the kill comes.
    const before = s.sandbox.control.requestLog().length;
    const killed = s.spawn(['backfill', '--since', SINCE, '--to', ndjson, '--verbose']);
    await waitUntil(() => s.sandbox.control.requestLog().length > before + 2, 30_000, 'the second run to be under way');
    s.sandbox.control.holdRequests();
    await waitUntil(() => s.sandbox.control.requestLog().slice(before).some((e) => e.status === 0), 30_000, 'the second run to wait for Front');
    killed.child.kill('SIGKILL');
    runs.push(await killed.done);
    s.sandbox.control.releaseRequests();
    runs.push(await s.binary(['backfill', '--since', SINCE, '--to', '-', '--verbose']));
    expect(runs.at(-1)!.code).toBe(0);
    expect(runs.at(-1)!.stdout).toMatch(/"id":"front:cnv_/);

    const corrupt = join(s.work.dir, 'corrupt.db');
    writeFileSync(corrupt, 'not a database at all');
    runs.push(await s.binary(['sync', '--verbose', '--db', corrupt]));
    expect(runs.at(-1)!.code).toBe(2);
    expectNoSecrets(s, runs);
  });

  it('connect --save writes the token to a 0600 file in a 0700 folder; runs using it leak it nowhere else', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 93 } }));
    const saved = await s.binary(['connect', '--save', '--verbose']);
    expect(saved.code).toBe(0);
    const file = join(s.work.env.XDG_CONFIG_HOME!, 'frontsync', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(s.work.env.XDG_CONFIG_HOME!, 'frontsync')).mode & 0o777).toBe(0o700);
    expect(statSync(s.work.db, { throwIfNoEntry: false })).toBeUndefined();

    // The saved file is the one place the token may be: search everything else.
    const runs = [saved, await s.binary(['backfill', '--since', SINCE, '--verbose'], { FRONT_API_TOKEN: undefined }), await s.binary(['status', '--verbose'])];
    expect(runs[1]!.code).toBe(0);
    expect(statSync(s.work.db).mode & 0o777).toBe(0o600);
    const others = leftovers(s, runs).filter((p) => p.label !== 'home/.config/frontsync/config.json');
    expect(findSecrets({ 'Front token': s.sandbox.tokens.full, 'destination token': DEST_TOKEN }, others)).toEqual([]);
    expect(findSecrets({ 'Front token': s.sandbox.tokens.full }, filesUnder(s.work.home))).toEqual(['Front token in .config/frontsync/config.json']);
  });

  it('credentials in a destination URL (jwt, pwd, access_token, X-Amz-Signature): in no output of --verbose runs, failing or not, nor in status or the state file', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 94 }, destination: { retries: 1 } }));
    const params = { jwt: 'eyJhbGciOiJIUzI1NiJ9.dXJsLXNlY3JldA.0123456789abcdef', pwd: 'correct-horse-battery-staple', access_token: 'ya29.a0AfH6SMBx-url-token', 'X-Amz-Signature': 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024' };
    const url = `${s.receiver.url}?team=support&${new URLSearchParams(params).toString()}`;
    const runs: RunResult[] = [];
    const step = async (args: string[], env: Record<string, string | undefined> = {}) => runs.push(await s.binary([...args, '--verbose'], env));
    s.receiver.behave({ failNext: { count: 10, status: 503 } });
    await step(['backfill', '--since', SINCE, '--to', url]);
    s.receiver.behave({ failNext: { count: 0, status: 503 } });
    await step(['backfill', '--since', SINCE, '--to', url, '--json']);
    await step(['sync'], { FRONT_IMPORT_DEST_URL: url });
    await step(['status']);
    await step(['config', '--offline'], { FRONT_IMPORT_DEST_URL: url });
    expect(runs.map((r) => r.code)).toEqual([6, 0, 0, 0, 0]);
    expect(findSecrets(params, leftovers(s, runs))).toEqual([]);
    expectNoSecrets(s, runs);
  });


  it('OAuth: connect --oauth, refreshes, --json, a failing token endpoint, one quoting the request back, invalid_grant: no access token, refresh token or client secret in any output, in the state, or in any file but the token store', async () => {
    // Access tokens expire when the test says so (expireOAuth): each run after that refreshes after a 401.
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 95, oauth: { lifetimeMs: 600_000, refreshTokens: 'rotating', autoApprove: true } }, front: { retries: 1 } }));
    const { control } = s.sandbox;
    const runs: RunResult[] = [];
    const step = async (args: string[], extra: Env = {}, stdin = '') => {
      const r = await run([...args, '--verbose'], { cwd: s.work.dir, env: { ...s.work.env, ...oauthEnv(s), ...extra }, stdin });
      runs.push(r);
      return r.code;
    };
    const code = await approvedCode(s);
    expect(await step(['connect', '--oauth', '--no-browser'], {}, `${code}\n`)).toBe(0);
    expect(await step(['connect', '--check'])).toBe(0);
    expect(await step(['connect', '--json'])).toBe(0);
    expect(await step(['backfill', '--since', SINCE, '--json'])).toBe(0);
    control.addConversation({ subject: 'After the backfill' });
    control.expireOAuth();
    expect(await step(['sync'])).toBe(0);
    expect(await step(['status'])).toBe(0);
    expect(await step(['status', '--json'])).toBe(0);
    expect(await step(['config'])).toBe(0);
    // Front's token endpoint failing: retried a little, then exit 5 naming the status.
    control.configureOAuth({ errorStatus: 500 });
    control.expireOAuth();
    expect(await step(['sync'])).toBe(5);
    expect(runs.at(-1)!.stderr).toMatch(/Front's OAuth token endpoint answered 500/);
    control.configureOAuth({ errorStatus: null });
    // A token endpoint that quotes the Basic credentials and the refresh token back in its error.
    echo = await startEcho(400, { quoteBody: true });
    expect(await step(['sync', '--json'], { FRONT_OAUTH_URL: echo.url })).toBe(5);
    expect(echo.requests).toBeGreaterThan(0);
    // The app revoked: invalid_grant, exit 3 with the fix.
    control.revokeOAuth();
    expect(await step(['sync'])).toBe(3);
    expect(runs.at(-1)!.stderr).toMatch(/run `front-import connect --oauth` again/);
    expect(control.oauthStats()).toMatchObject({ refreshes: expect.any(Number), failedRequests: 3, invalidGrants: 1 });
    expect(control.oauthStats().refreshes).toBeGreaterThan(0);

    const secrets = { ...oauthSecrets(s), 'authorization code': code };
    const store = relative(s.work.dir, tokenFile(s.work.env.XDG_CONFIG_HOME!));
    const places = leftovers(s, runs);
    expect(places.map((p) => p.label)).toContain(store);
    expect(findSecrets(secrets, places.filter((p) => p.label !== store))).toEqual([]);
    // The destination was never sent an OAuth secret either.
    const posted = s.receiver.raw.map((r, i) => ({ label: `request ${i + 1} to the destination`, bytes: Buffer.from(JSON.stringify(r.headers) + r.body) }));
    expect(findSecrets(secrets, posted)).toEqual([]);
    // Forgotten: no file holds any of them now.
    expect(await step(['connect', '--logout'])).toBe(0);
    expect(findSecrets(secrets, leftovers(s, runs))).toEqual([]);
    searched.runs += runs.length;
  });
});
