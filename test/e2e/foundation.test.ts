// Issue 2 ("Foundation") through the real binary: the command line, config errors, how the Front
// client behaves when Front misbehaves, scope, secrets, spec conformance, and the sandbox command.

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.ts';
import { makeWorkdir, run, start, type RunResult, type Started } from '../helpers/cli.ts';
import { DEST_TOKEN, importable, scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';
import { highlightErrors } from '../helpers/highlight-contract.ts';
import { validateRequest } from '../helpers/spec.ts';

const keep = closeAfterEach();
let server: Started | null = null;
afterEach(async () => {
  server?.child.kill('SIGKILL');
  server = null;
});

const ids = (conversations: Array<{ id: string; status?: string | null }>) => importable(conversations).map((c) => `front:${c.id}`).sort();
const deliveredIds = (s: Scenario) => [...new Set(s.receiver.accepted().map((d) => d.id))].sort();

/** The lines a stream printed (every line ends in a newline; none printed = no lines). */
function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

describe('command line', () => {
  const work = makeWorkdir();
  const cli = (args: string[]) => run(args, { cwd: work.dir, env: work.env });

  it('--version prints the package version and --help lists the commands; both exit 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${version}\n`);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['connect', 'backfill', 'sync', 'status', 'sandbox', 'listen']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['backfill', '--since', '7d', '--frobnicate'], /unknown option '--frobnicate'/],
    [['backfill', '--since', '7d', '--limit', 'ten'], /--limit: expected a positive whole number/],
  ])('%j exits 2 with one line naming the problem, then where the usage is', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const printed = lines(r.stderr);
    expect(printed[0]).toMatch(message);
    expect(printed.at(-1)).toMatch(/^Run 'front-import( backfill)? --help' for usage\.$/);
    expect(printed.length).toBeLessThanOrEqual(3);
  });
});

describe('config errors exit 2 naming the file and the key', () => {
  it.each([
    ['front:\n  plan: pro\n', /front\.plan: expected one of starter, professional, enterprise; got "pro"/],
    ['front:\n  retrys: 3\n', /front: unknown key "retrys" \(did you mean "retries"\?\)/],
    ['front:\n  retries: many\n', /front\.retries: expected a number/],
    ['destination:\n  type: http\n  url: ftp://example.com/x\n', /destination\.url: expected an http\(s\) URL/],
  ])('%j', async (yaml, message) => {
    const work = makeWorkdir({ FRONT_API_TOKEN: 'not-used-before-the-config-is-valid' });
    const path = work.config(yaml);
    for (const args of [['connect', '--check'], ['backfill', '--since', '1d']]) {
      const r = await run(args, { cwd: work.dir, env: work.env });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toEqual([expect.stringContaining(`${path}: `)]);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('Front faults', () => {
  it('429: waits retry-after before retrying, succeeds, and the summary counts the refusals', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 51 } }));
    const retryAfterSeconds = 1;
    s.sandbox.control.throttleNext({ count: 2, retryAfterSeconds });
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/, 2 rate-limited;/);
    expect(r.ms).toBeGreaterThanOrEqual(2 * retryAfterSeconds * 1000);
    expect(deliveredIds(s)).toEqual(ids(s.sandbox.control.truth().conversations));
    // Measured at the sandbox: after each 429, nothing arrives until retry-after has passed.
    const log = s.sandbox.control.requestLog();
    const refused = log.filter((e) => e.status === 429);
    expect(refused).toHaveLength(2);
    for (const e of refused) {
      const next = log.find((later) => later.at > e.at)!;
      expect(next.at - e.at).toBeGreaterThanOrEqual(retryAfterSeconds * 1000 - 20);
    }
  });

  it('5xx: retried front.retries times, then exit 5 naming the endpoint; with fewer failures the same command succeeds', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 52 }, front: { retries: 2 } }));
    s.sandbox.control.failNext({ path: '/events', count: 3, status: 503 });
    const failed = await s.cli(['backfill', '--since', '8d']);
    expect(failed.code).toBe(5);
    expect(failed.stderr).toMatch(/Front unavailable at 127\.0\.0\.1:\d+: GET \/events failed 3 times \(last: 503/);
    expect(s.sandbox.control.requestLog().filter((e) => e.path === '/events').map((e) => e.status)).toEqual([503, 503, 503]);

    s.sandbox.control.failNext({ path: '/events', count: 2, status: 500 });
    const ok = await s.cli(['backfill', '--since', '8d']);
    expect(ok.code).toBe(0);
    expect(deliveredIds(s)).toEqual(ids(s.sandbox.control.truth().conversations));
  });

  it.each([[['connect']], [['connect', '--check']], [['backfill', '--since', '7d']]])('401 on %j: exit 3 saying the token was refused', async (args) => {
    const s = keep(await scenario({ sandbox: { conversations: 5, seed: 53 }, token: 'revoked' }));
    const r = await s.cli(args);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual(['front-import: Front rejected the token (401): check it is active and copied in full']);
    expect(s.receiver.requests).toBe(0);
  });

  it('a next link to another origin is refused (exit 5, says why), never contacted, and never saved as a checkpoint', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 54 } }));
    const trap = await listenCounting();
    try {
      for (const origin of [trap.origin, 'http://127.0.0.2:9']) {
        s.sandbox.control.setForeignNextOrigin(origin);
        const r = await s.cli(['backfill', '--since', '8d']);
        expect(r.code).toBe(5);
        expect(lines(r.stderr)).toEqual([
          `front-import: Front's next page link points at ${origin}, not ${new URL(s.sandbox.url).host}; refusing to send the token there`,
        ]);
      }
      expect(trap.connections()).toBe(0);
    } finally {
      await trap.close();
    }
    s.sandbox.control.setForeignNextOrigin(null);
    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    expect(deliveredIds(s)).toEqual(ids(s.sandbox.control.truth().conversations));
  });
});

describe('private inboxes without the scope', () => {
  it("a backfill delivers every public conversation and none of the private inboxes'; --inbox <private> exits 2 naming it, fetching nothing", async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 55 }, token: 'noPrivate' }));
    const truth = s.sandbox.control.truth();
    const privateInboxes = truth.inboxes.filter((i) => i.is_private);
    const isPrivate = (c: { inbox_id: string }) => privateInboxes.some((i) => i.id === c.inbox_id);
    expect(truth.conversations.filter(isPrivate).length).toBeGreaterThan(0);

    const r = await s.cli(['backfill', '--since', '8d']);
    expect(r.code).toBe(0);
    expect(deliveredIds(s)).toEqual(ids(truth.conversations.filter((c) => !isPrivate(c))));

    const before = s.receiver.requests;
    const name = privateInboxes[0]!.name;
    s.sandbox.control.clearRequestLog();
    const scoped = await s.cli(['backfill', '--since', '8d', '--inbox', name]);
    expect(scoped.code).toBe(2);
    expect(scoped.stderr).toContain(`no inbox named "${name}" among the`);
    expect(scoped.stderr).toContain('private');
    expect(s.sandbox.control.requestLog().map((e) => e.path)).toEqual(['/inboxes']);
    expect(s.receiver.requests).toBe(before);
  });
});

describe('secrets', () => {
  it('neither the Front token nor the destination token appears in any output of --verbose runs, or in the state file', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 56 }, front: { retries: 1 } }));
    const { control, tokens } = s.sandbox;
    const outputs: RunResult[] = [];
    const step = async (args: string[], env = {}) => outputs.push(await s.cli([...args, '--verbose'], env));

    await step(['connect']);
    await step(['connect', '--json']);
    await step(['backfill', '--since', '8d']);
    control.addConversation({ subject: 'After the backfill' });
    await step(['sync']);
    await step(['status']);
    await step(['status', '--json']);
    control.failNext({ count: 2 });
    await step(['backfill', '--since', '2d']);
    control.setForeignNextOrigin('http://127.0.0.2:9');
    await step(['backfill', '--since', '3d']);
    control.setForeignNextOrigin(null);
    control.addConversation({ subject: 'Refused by the destination' });
    s.receiver.behave({ failNext: { count: 100, status: 401 } });
    await step(['sync']);
    s.receiver.behave({ failNext: { count: 100, status: 503 } });
    await step(['sync']);
    await step(['connect'], { FRONT_API_TOKEN: tokens.revoked });
    await step(['connect', '--check'], { FRONT_API_URL: 'http://127.0.0.1:9' });
    // Before the config is valid nothing knows which value is the token.
    await step(['connect', '--config', s.work.config(`front:\n  token: ${tokens.full}\n  plan: pro\n`, 'broken.yml')]);
    expect(outputs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0, 5, 5, 6, 6, 3, 5, 2]);

    const printed = outputs.map((r) => r.stdout + r.stderr).join('\n');
    expect(printed).toMatch(/GET \/me -> 200/);
    const stateFile = [s.work.db, `${s.work.db}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('\n');
    for (const secret of [tokens.full, tokens.revoked, DEST_TOKEN]) {
      expect(fragmentsOf(secret).filter((f) => printed.includes(f))).toEqual([]);
      expect(fragmentsOf(secret).filter((f) => stateFile.includes(f))).toEqual([]);
    }
  });
});

describe("the client's requests match Front's OpenAPI spec", () => {
  it.each([
    ['full', 'events'],
    ['noEvents', 'listing'],
  ] as const)('%s token (%s strategy): connect, backfill, scoped backfill, sync; every page followed', async (token, strategy) => {
    const s = keep(await scenario({ sandbox: { conversations: 120, seed: 57 }, token }));
    const runs = [
      await s.cli(['connect']),
      await s.cli(['backfill', '--since', '8d', '--json']),
      await s.cli(['backfill', '--since', '8d', '--inbox', s.sandbox.control.truth().inboxes[0]!.name]),
      await s.cli(['sync']),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(runs[1]!.stdout).strategy).toBe(strategy);
    expect(deliveredIds(s)).toEqual(ids(s.sandbox.control.truth().conversations));

    const log = s.sandbox.control.requestLog();
    expect(log.some((e) => 'page_token' in e.query)).toBe(true);
    const errors = log.flatMap((e) => validateRequest(e.method, urlOf(e)).map((problem) => `${e.method} ${urlOf(e)}: ${problem}`));
    expect(errors).toEqual([]);
  });
});

describe('the sandbox command', () => {
  it('serves on a free port, prints a URL and token that `connect --check` accepts, and stops on SIGTERM', async () => {
    const work = makeWorkdir();
    server = start(['sandbox', '--port', '0', '--seed', '7', '--conversations', '10'], { cwd: work.dir, env: work.env });
    const announced = server;
    await expect.poll(() => announced.output().stdout, { timeout: 5_000 }).toMatch(/^Control API/m);
    const said = announced.output().stdout;
    const url = /^ {2}export FRONT_API_URL=(\S+)$/m.exec(said)![1]!;
    const token = /^ {2}export FRONT_API_TOKEN=(\S+)$/m.exec(said)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const check = await run(['connect', '--check'], { cwd: work.dir, env: { ...work.env, FRONT_API_URL: url, FRONT_API_TOKEN: token } });
    expect(check.code).toBe(0);
    expect(lines(check.stdout)).toEqual([expect.stringMatching(/^ok: token works for /)]);
    expect(check.stdout).toContain(` at ${url}\n`);

    announced.child.kill('SIGTERM');
    const ended = await announced.done;
    expect(ended.signal).toBeNull();
    expect(ended.code).toBe(0);
    await expect(fetch(`${url}/me`)).rejects.toThrow();
  });

  it('--demo (npm run demo) exits 0 leaving highlights.ndjson in the current directory: one valid Highlight per line', async () => {
    const work = makeWorkdir();
    const r = await run(['sandbox', '--demo'], { cwd: work.dir, env: work.env });
    expect(r.code).toBe(0);
    // Piped, the demo's backfill prints plain progress lines, and nothing else, on stderr.
    for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^backfill: (reading message events|listing conversations|finishing kept messages|delivering) · /);
    const written = readFileSync(join(work.dir, 'highlights.ndjson'), 'utf8');
    expect(written.endsWith('\n')).toBe(true);
    const highlights = written.slice(0, -1).split('\n').map((line) => JSON.parse(line) as { id: string });
    // The sandbox's default workspace: 200 conversations, all active within its 7 days, less the
    // spam and trashed ones the default scope leaves out.
    expect(highlights.length).toBeGreaterThan(150);
    expect(highlights.length).toBeLessThan(200);
    expect(new Set(highlights.map((h) => h.id)).size).toBe(highlights.length);
    expect(highlights.filter((h) => ['spam', 'trashed'].includes((h as { status?: string }).status ?? ''))).toEqual([]);
    expect(highlights.flatMap((h) => highlightErrors(h).map((e) => `${h.id}: ${e}`))).toEqual([]);
  });
});

/** Every 12-character slice of a secret: a truncated or partly masked copy is still a leak. */
function fragmentsOf(secret: string): string[] {
  return Array.from({ length: secret.length - 11 }, (_, i) => secret.slice(i, i + 12));
}

function urlOf(entry: RequestLogEntry): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(entry.query)) for (const v of [value].flat()) query.append(key, v);
  const search = query.toString();
  return search ? `${entry.path}?${search}` : entry.path;
}

/** An HTTP server on 127.0.0.1 that counts connections to it: the "other host" of a foreign link. */
async function listenCounting(): Promise<{ origin: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const trap = createServer((_req, res) => res.end('{"_results":[],"_pagination":{"next":null}}'));
  trap.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const { port } = trap.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        trap.closeAllConnections();
        trap.close(() => resolve());
      }),
  };
}
