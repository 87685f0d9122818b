// kill -9 during an OAuth refresh loses nothing (issue 20), through the real binary: a cron sync
// finds its access token expired (Front answers 401: the sandbox expires every access token at
// once, so no test waits for a lifetime), Front's token answer is held open, and the process is killed
// while its refresh is in flight; or it is killed once the new set is written, before any answer
// came back to a request made with it. Each mode of refresh tokens is held to what is right for it:
// - Front never acted on the request: the next run refreshes with the stored token, either mode.
// - Front acted and the answer was lost: with `same` refresh tokens the next run refreshes fine;
//   with `rotating` ones the stored refresh token is spent, so the next run exits 3 with the fix
//   (the documented window no client can close), and after `connect --oauth` nothing is lost.
// In every case the cursor stays where it was until the new conversations are delivered.

import { describe, expect, it } from 'vitest';
import { auditDelivery, waitUntil } from '../helpers/reliability.ts';
import { activeSince, closeAfterEach, deliveredIds, scenario, statusOf, type Scenario } from '../helpers/e2e.ts';
import type { Env } from '../helpers/cli.ts';
import { connectOAuth, oauthEnv, storedSet, tokenFile } from '../helpers/oauth.ts';
import type { RefreshTokenMode, TokenHold } from '../../src/sandbox/oauth.ts';

const keep = closeAfterEach();
/** Longer than any run here: access tokens expire when the test says so (expireOAuth). */
const LIFETIME_MS = 600_000;
const DAY = 86_400_000;

interface Connected {
  s: Scenario;
  env: Env;
  file: string;
}

/** Connected through the sandbox's Front app, with a first backfill delivered and a cursor. */
async function connected(seed: number, refreshTokens: RefreshTokenMode): Promise<Connected> {
  const s = keep(await scenario({ sandbox: { seed, conversations: 6, oauth: { lifetimeMs: LIFETIME_MS, refreshTokens, autoApprove: true } } }));
  const env = oauthEnv(s);
  await connectOAuth(s, s.work.dir, { ...s.work.env, ...env });
  const backfill = await s.cli(['backfill', '--since', '7d'], env);
  expect(backfill.code, backfill.stderr).toBe(0);
  return { s, env, file: tokenFile(s.work.env.XDG_CONFIG_HOME!) };
}

/** Two new conversations after the cursor, and the access token expired: the next sync's first request is answered 401 and it refreshes. */
async function newWorkAndExpiry(s: Scenario): Promise<{ added: string[]; cursor: unknown }> {
  const cursor = (await statusOf(s)).cursor.value;
  const added = [s.sandbox.control.addConversation({ subject: 'Arrived before the kill' }), s.sandbox.control.addConversation({ subject: 'Also waiting' })];
  s.sandbox.control.expireOAuth();
  return { added: added.map((id) => `front:${id}`), cursor };
}

/** A sync killed with kill -9 while Front holds its refresh (`hold`); the held request is let go after the kill. */
async function killedDuringRefresh({ s, env }: Connected, hold: Exclude<TokenHold, 'none'>): Promise<{ added: string[]; cursor: unknown }> {
  const { control } = s.sandbox;
  const work = await newWorkAndExpiry(s);
  control.configureOAuth({ hold });
  const sync = s.spawn(['sync'], env);
  await waitUntil(() => control.oauthStats().held === 1 || sync.child.exitCode !== null, 30_000, 'the sync refreshing, held at Front');
  sync.child.kill('SIGKILL');
  const killed = await sync.done;
  expect(killed.signal, killed.stderr).toBe('SIGKILL');
  control.configureOAuth({ hold: 'none' });
  await expectNothingMoved(s, work);
  return work;
}

async function expectNothingMoved(s: Scenario, work: { added: string[]; cursor: unknown }): Promise<void> {
  expect((await statusOf(s)).cursor.value).toBe(work.cursor);
  expect(deliveredIds(s).filter((id) => work.added.includes(id))).toEqual([]);
}

async function expectSyncDelivers({ s, env }: Connected, added: string[]): Promise<void> {
  const next = await s.cli(['sync'], env);
  expect(next.code, next.stderr).toBe(0);
  expect(deliveredIds(s)).toEqual(expect.arrayContaining(added));
}

/** Every conversation of the window delivered, each version once. */
function expectNothingLost(s: Scenario): void {
  const audit = auditDelivery(s.receiver, activeSince(s.sandbox, Date.now() - 7 * DAY).map((c) => `front:${c.id}`));
  expect(audit.missing).toEqual([]);
  expect(audit.duplicateVersions).toEqual([]);
}

/** A sync killed once its new token set is written, before any answer to a request made with it (Front answers nothing for a while). */
async function killedAfterWrite({ s, env, file }: Connected): Promise<{ added: string[]; cursor: unknown }> {
  const { control } = s.sandbox;
  const work = await newWorkAndExpiry(s);
  const before = storedSet(file);
  // The token answer waits until Front is made slow: every request after it is left unanswered.
  control.configureOAuth({ hold: 'answer' });
  const sync = s.spawn(['sync'], env);
  await waitUntil(() => control.oauthStats().held === 1 || sync.child.exitCode !== null, 30_000, 'the sync refreshing, held at Front');
  control.setFaults({ latencyMs: 60_000 });
  const mark = control.requestLog().length;
  control.configureOAuth({ hold: 'none' });
  await waitUntil(() => storedSet(file).accessToken !== before.accessToken || sync.child.exitCode !== null, 30_000, 'the new token set written');
  sync.child.kill('SIGKILL');
  expect((await sync.done).signal).toBe('SIGKILL');
  expect(control.requestLog().slice(mark).filter((e) => e.status !== 0)).toEqual([]);
  control.setFaults({ latencyMs: 0 });
  await expectNothingMoved(s, work);
  return work;
}

describe('kill -9 during an OAuth refresh', () => {
  it('same refresh tokens: killed while Front holds the answer it already applied, then killed after the new set is written but before use; each next sync refreshes or uses the stored set and delivers what waited', async () => {
    const c = await connected(181, 'same');
    await expectSyncDelivers(c, (await killedDuringRefresh(c, 'answer')).added);
    await expectSyncDelivers(c, (await killedAfterWrite(c)).added);
    expect(c.s.sandbox.control.oauthStats().invalidGrants).toBe(0);
    expectNothingLost(c.s);
  });

  it('rotating refresh tokens: killed before Front acted, and after the new set is written but before use: the next sync goes on; killed after Front rotated (answer lost): the next sync exits 3 with the fix, the cursor stays, and after connect --oauth nothing is lost', async () => {
    const c = await connected(182, 'rotating');
    const { control } = c.s.sandbox;
    await expectSyncDelivers(c, (await killedDuringRefresh(c, 'request')).added);
    await expectSyncDelivers(c, (await killedAfterWrite(c)).added);
    expect(control.oauthStats().invalidGrants).toBe(0);

    const lost = await killedDuringRefresh(c, 'answer');
    const refused = await c.s.cli(['sync'], c.env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/invalid_grant.*run `front-import connect --oauth` again/);
    // One refused refresh, no retry storm; nothing moved.
    expect(control.oauthStats().invalidGrants).toBe(1);
    await expectNothingMoved(c.s, lost);

    await connectOAuth(c.s, c.s.work.dir, { ...c.s.work.env, ...c.env });
    await expectSyncDelivers(c, lost.added);
    expectNothingLost(c.s);
  });
});
