// Issue 23, what a destination is and what a user meets in the second week: secret query
// parameters in a destination URL are never printed or stored; every other parameter is part of
// the destination's identity (`?region_code=eu` and `?region_code=us` each get everything), and a
// state written under the former rule keeps its deliveries; `status` leads with the configured
// subscriptions and says how to forget a stray destination, which `destinations forget` does;
// skipped conversations are explained; a retry-after beyond the run's patience is said as such;
// the ephemeral-state warning comes once, when the state is created. One sandbox and receiver for
// the file; the commands run in-process through the program (test/helpers/program.ts).

import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../helpers/cli.ts';
import { activeSince, scenario, type Scenario } from '../helpers/e2e.ts';
import { runProgram, type ProgramResult } from '../helpers/program.ts';
import { filesUnder, findSecrets } from '../helpers/reliability.ts';

let s: Scenario;
beforeAll(async () => {
  s = await scenario({ sandbox: { conversations: 30, seed: 2323, days: 5 } });
});
afterAll(async () => {
  await s.close();
});

/** Each test keeps its own state file, so they do not depend on one another. */
const stateFor = (name: string) => join(s.work.dir, name, 'state.db');
const cli = (args: string[], env: Env = {}): Promise<ProgramResult> => runProgram(args, { cwd: s.work.dir, env: { ...s.work.env, ...env } });
const importable = () => activeSince(s.sandbox, Date.now() - 8 * 86_400_000).length;

const JWT = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LWp3dC1wYXlsb2Fk.sig-0123456789';
const PWD = 'hunter2-hunter2-hunter2';
const ACCESS_TOKEN = 'at-9f8e7d6c5b4a39281706';
const SECRETS = { jwt: JWT, pwd: PWD, access_token: ACCESS_TOKEN };
/** Distinct Highlight ids POSTed to the receiver with this region (the receiver answers a repeated batch key 409 without recording it). */
const postedTo = (region: string): number =>
  new Set(
    s.receiver.raw
      .filter((r) => r.url.includes(`region_code=${region}`))
      .flatMap((r) => (JSON.parse(r.body) as { highlights: { id: string }[] }).highlights.map((h) => h.id)),
  ).size;
const withParams = (region: string) => `${s.receiver.url}?region_code=${region}&jwt=${JWT}&pwd=${PWD}&access_token=${ACCESS_TOKEN}`;

describe('points 3 and 5: secret query parameters and destination identity', () => {
  it('?region_code=eu and ?region_code=us each get every Highlight; jwt, pwd and access_token are never printed or stored, and status names them as left out', async () => {
    const env = { FRONT_IMPORT_DB: stateFor('regions') };
    const eu = await cli(['backfill', '--since', '8d', '--verbose'], { ...env, FRONT_IMPORT_DEST_URL: withParams('eu') });
    expect(eu.code, eu.stderr).toBe(0);
    expect(postedTo('eu')).toBe(importable());
    expect(eu.stdout + eu.stderr).toContain('region_code=eu');

    const us = await cli(['backfill', '--since', '8d', '--verbose'], { ...env, FRONT_IMPORT_DEST_URL: withParams('us') });
    expect(us.code, us.stderr).toBe(0);
    expect(postedTo('us')).toBe(importable());

    const status = await cli(['status'], { ...env, FRONT_IMPORT_DEST_URL: withParams('eu') });
    expect(status.stdout).toContain(`subscription default -> ${s.receiver.url}?region_code=eu\n`);
    expect(status.stdout).toContain('identity leaves out the secret parameter(s) jwt, pwd, access_token (never stored or printed)');
    expect(status.stdout).toContain(`subscription (not in config) -> ${s.receiver.url}?region_code=us\n`);
    const json = await cli(['status', '--json'], { ...env, FRONT_IMPORT_DEST_URL: withParams('eu') });
    expect(JSON.parse(json.stdout).subscriptions[0].droppedFromIdentity).toEqual(['jwt', 'pwd', 'access_token']);
    const config = await cli(['config', '--offline'], { ...env, FRONT_IMPORT_DEST_URL: withParams('eu') });
    expect(config.stdout).toContain(`${s.receiver.url}?region_code=eu&jwt=***&pwd=***&access_token=***`);

    const places = [
      ...[eu, us, status, json, config].flatMap((r, i) => [
        { label: `stdout ${i}`, bytes: r.stdout },
        { label: `stderr ${i}`, bytes: r.stderr },
      ]),
      ...filesUnder(join(s.work.dir, 'regions')),
    ];
    expect(findSecrets(SECRETS, places)).toEqual([]);
  });

  it('a state written under the former rule keeps its deliveries: nothing is sent again, and a secret stored in an identity leaves the state', async () => {
    const env = { FRONT_IMPORT_DB: stateFor('former'), FRONT_IMPORT_DEST_URL: withParams('eu') };
    expect((await cli(['backfill', '--since', '8d'], env)).code).toBe(0);
    // Rewrite the state as the former rule stored it: region_code dropped (it contains "code"), jwt
    // and pwd kept (the substring list missed them).
    const key = `${s.receiver.url}?region_code=eu`;
    const former = `${s.receiver.url}?jwt=${encodeURIComponent(JWT)}&pwd=${PWD}`;
    const db = new Database(env.FRONT_IMPORT_DB);
    db.prepare('UPDATE destinations SET key = ? WHERE key = ?').run(former, key);
    db.prepare('UPDATE cursors SET name = ? WHERE name = ?').run(`sync@${former}`, `sync@${key}`);
    db.prepare('UPDATE meta SET key = ? WHERE key = ?').run(`scope@${former}`, `scope@${key}`);
    db.close();

    const before = s.receiver.raw.length;
    const sync = await cli(['sync'], env);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout + sync.stderr).toContain(`delivery state stored as ${s.receiver.url}?jwt=***&pwd=*** (the former identity rule) now belongs to ${key} (subscription default)`);
    expect(s.receiver.raw.length - before).toBe(0);
    const status = JSON.parse((await cli(['status', '--json'], env)).stdout);
    expect(status.subscriptions.map((x: { destination: string; delivered: number }) => [x.destination, x.delivered])).toEqual([[key, importable()]]);
    expect(findSecrets({ jwt: JWT, pwd: PWD }, [{ label: 'status --json', bytes: JSON.stringify(status) }])).toEqual([]);
    // The destination's number was renamed, not copied: no row of the state names the former identity.
    const after = new Database(env.FRONT_IMPORT_DB, { readonly: true });
    expect(after.prepare('SELECT key FROM destinations').pluck().all()).toEqual([key]);
    // The scope recorded with the cursor moved with it: no meta key names the former identity either.
    expect(after.prepare("SELECT key FROM meta WHERE key LIKE 'scope@%'").pluck().all()).toEqual([`scope@${key}`]);
    after.close();
  });
});

describe('point 17: status leads with configured subscriptions; destinations forget', () => {
  it('a hand-run --to file and a dead receiver are listed after the configured subscription with the command that forgets them; forgetting one ends its pending items for --max-pending', async () => {
    const env = { FRONT_IMPORT_DB: stateFor('strays') };
    expect((await cli(['backfill', '--since', '8d', '--to', './highlights.ndjson'], env)).code).toBe(0);
    const dead = 'http://127.0.0.1:1/v1/highlights';
    expect((await cli(['backfill', '--since', '8d', '--to', dead], env)).code).toBe(6);
    const configured = await cli(['backfill', '--since', '8d', '--json'], env);
    expect(configured.code).toBe(0);

    const status = await cli(['status', '--max-pending', '0'], env);
    expect(status.code).toBe(8);
    const subscriptionLines = status.stdout.split('\n').filter((l) => l.startsWith('subscription'));
    expect(subscriptionLines[0]).toBe(`subscription default -> ${s.receiver.url}`);
    expect(subscriptionLines.slice(1).sort()).toEqual([`subscription (not in config) -> ${dead}`, `subscription (not in config) -> ${join(s.work.dir, 'highlights.ndjson')}`].sort());
    expect(status.stdout).toContain(`forget it with: front-import destinations forget ${dead}`);

    const refusedConfigured = await cli(['destinations', 'forget', s.receiver.url], env);
    expect(refusedConfigured.code).toBe(2);
    expect(refusedConfigured.stderr).toContain('is where subscription default delivers');
    expect(refusedConfigured.stderr).toContain('--force');
    const unknown = await cli(['destinations', 'forget', 'http://127.0.0.1:1/elsewhere'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`destinations it holds: `);

    const forgotDead = await cli(['destinations', 'forget', dead], env);
    expect(forgotDead.code, forgotDead.stderr).toBe(0);
    expect(forgotDead.stdout + forgotDead.stderr).toMatch(new RegExp(`forgot ${dead}: 0 delivered, ${importable()} pending and 0 refused item\\(s\\), \\d+ open batch`));
    const forgotFile = await cli(['destinations', 'forget', './highlights.ndjson', '--json'], env);
    expect(forgotFile.code).toBe(0);
    expect(JSON.parse(forgotFile.stdout)).toMatchObject({ ok: true, removed: { delivered: importable(), pending: 0 } });
    expect(existsSync(join(s.work.dir, 'highlights.ndjson'))).toBe(true);

    const after = await cli(['status', '--max-pending', '0'], env);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).not.toContain('not in config');
    // What a forgotten destination's cursor was recorded with goes too: only the configured one's scope is left.
    const db = new Database(env.FRONT_IMPORT_DB, { readonly: true });
    expect(db.prepare("SELECT key FROM meta WHERE key LIKE 'scope@%'").pluck().all()).toEqual([`scope@${s.receiver.url}`]);
    db.close();
  });
});

describe('point 19: what a run says', () => {
  it('skipped conversations are explained by reason, in the summary line and in --json', async () => {
    const env = { FRONT_IMPORT_DB: stateFor('skipped') };
    const text = await cli(['backfill', '--since', '8d', '--dry-run'], env);
    expect(text.stdout + text.stderr).toMatch(/\d+ skipped: out of scope \(spam, trash, or outside every subscription's scope\)/);
    const json = JSON.parse((await cli(['backfill', '--since', '8d', '--dry-run', '--json'], env)).stdout);
    expect(json.skippedBy.outOfScope).toBeGreaterThan(0);
    expect(json.skippedBy.outOfScope + json.skippedBy.noAccess + json.skippedBy.unreadable).toBe(json.counts.skipped);
  });

  it('in CI with the default state file, the warning that it will not survive comes with the run that creates it, not every run', async () => {
    const env = { FRONT_IMPORT_DB: undefined, CI: 'true', XDG_STATE_HOME: join(s.work.dir, 'ci-state') };
    const first = await cli(['backfill', '--since', '1d'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr.match(/will not survive this CI job/g)).toHaveLength(1);
    const second = await cli(['sync'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('will not survive');
  });
});

describe('point 14: a retry-after longer than the run waits', () => {
  it('exits 5 saying Front asked for N seconds', async () => {
    s.sandbox.control.throttleNext({ count: 1, retryAfterSeconds: 3600 });
    const r = await cli(['backfill', '--since', '1d'], { FRONT_IMPORT_DB: stateFor('throttled') });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Front asked to wait 3600 s before GET \/me again \(429 retry-after\), longer than a run waits \(0\.5 s\)/);
  });
});

// A guard for the helpers: the NDJSON file the stray run wrote is where status said.
it('the hand-run file exists where status named it', () => {
  expect(readFileSync(join(s.work.dir, 'highlights.ndjson'), 'utf8').length).toBeGreaterThan(0);
});
