// OAuth through the real binary against the sandbox's Front app (issue 20): connect --oauth
// --no-browser with the code on standard input, then imports across many access-token expiries
// with rotating refresh tokens (several processes refreshing at once), a revoked app, logout; and
// no token anywhere but the token store.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, type RunResult } from '../helpers/cli.ts';
import { activeSince, closeAfterEach, idsOf, importable, inProcess, scenario } from '../helpers/e2e.ts';
import { approvedCode, oauthEnv, outlive, tokenFile } from '../helpers/oauth.ts';

const keep = closeAfterEach();
const LIFETIME_MS = 400;
const untilExpired = () => outlive(LIFETIME_MS);
// Ten binaries, nine in-process runs, and eleven lifetimes waited out.

describe('OAuth (connect --oauth, refresh, revoke)', () => {
  it('connects with the code on stdin, imports across many expiries with rotating refresh tokens, then a revoked app exits 3 with the fix', { timeout: 180_000 }, async () => {
    const s = keep(
      await scenario({ sandbox: { seed: 61, conversations: 40, oauth: { lifetimeMs: LIFETIME_MS, refreshTokens: 'rotating', autoApprove: true } }, token: 'full' }),
    );
    const env = oauthEnv(s);
    const outputs: string[] = [];
    const kept = (r: RunResult) => {
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const cli = async (args: string[], stdin = '') => kept(await run(args, { cwd: s.work.dir, env: { ...s.work.env, ...env }, stdin }));
    const inProcessCli = async (args: string[]) => kept(await inProcess(args, s.work.dir, { ...s.work.env, ...env }));

    const unanswered = await cli(['connect', '--oauth', '--no-browser']);
    expect(unanswered.code).toBe(2);
    expect(unanswered.stderr).toMatch(/no answer on standard input/);

    const withCode = await cli(['connect', '--oauth', '--no-browser'], `${await approvedCode(s)}\n`);
    expect(withCode.code, withCode.stderr).toBe(0);
    expect(withCode.stdout).toContain('Open this URL in a browser');
    expect(withCode.stdout).toContain(`${s.sandbox.url}/oauth/authorize?response_type=code&client_id=${s.sandbox.oauth.clientId}`);
    expect(withCode.stdout).toMatch(/authorized front-import at .*; token set stored in .*oauth-[0-9a-f]+\.json; the access token expires at \d{4}-/);
    const file = tokenFile(s.work.env.XDG_CONFIG_HOME!);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const check = await cli(['connect', '--check']);
    expect(check.code, check.stderr).toBe(0);

    const backfill = await cli(['backfill', '--since', '7d']);
    expect(backfill.code, backfill.stderr).toBe(0);
    // Each cron sync starts after the access token expired (400 ms), so each one refreshes it: ten
    // expiries at least, whatever the machine's speed.
    // The first through the binary; the rest repeat it in-process (the same program, a new context
    // and token store each time, as a new process has), which costs a tenth of the CPU.
    for (let i = 0; i < 10; i++) {
      await untilExpired();
      const sync = i === 0 ? await cli(['sync']) : await inProcessCli(['sync']);
      expect(sync.code, sync.stderr).toBe(0);
    }
    // Several processes find the access token expired at once: one refreshes, the others read its set.
    await untilExpired();
    const together = await Promise.all([1, 2, 3].map(() => cli(['connect', '--check'])));
    for (const r of together) expect(r.code, r.stderr).toBe(0);

    const stats = await s.sandbox.control.oauthStats();
    expect(stats.refreshes).toBeGreaterThanOrEqual(10);
    expect(stats.invalidGrants).toBe(0);
    expect(outputs.join('\n')).not.toMatch(/\b401\b/);
    const expected = idsOf(importable(activeSince(s.sandbox, Date.now() - 7 * 86_400_000)));
    expect([...new Set(s.receiver.accepted().map((d) => d.id))].sort()).toEqual(expected);

    // No token in any output or in the state; only the token store holds them.
    const set = JSON.parse(readFileSync(file, 'utf8')) as { accessToken: string; refreshToken: string };
    const state = readFileSync(s.work.env.FRONT_IMPORT_DB!);
    for (const secret of [set.accessToken, set.refreshToken, s.sandbox.oauth.clientSecret]) {
      expect(outputs.join('\n')).not.toContain(secret);
      expect(state.includes(secret)).toBe(false);
    }

    // An admin uninstalls the app: one refresh attempt, exit 3 with the fix, no retry storm.
    s.sandbox.control.revokeOAuth();
    const before = (await s.sandbox.control.oauthStats()).invalidGrants;
    const revoked = await cli(['sync']);
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toMatch(/run `front-import connect --oauth` again/);
    expect((await s.sandbox.control.oauthStats()).invalidGrants - before).toBeLessThanOrEqual(1);

    const logout = await cli(['connect', '--logout']);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toMatch(/forgot the OAuth token set in /);
    expect(() => statSync(file)).toThrow();
  });
});

describe('API-token users with a Front app configured too', () => {
  it('see no change: the API token wins, nothing of OAuth is asked or stored, connect --check prints the same line (in-process)', async () => {
    const s = keep(await scenario({ sandbox: { seed: 62, conversations: 5, oauth: { autoApprove: true } } }));
    // The API token from the work dir's environment, beside a configured Front app.
    const env = { ...oauthEnv(s), FRONT_API_TOKEN: s.sandbox.tokens.full };
    const check = await s.cli(['connect', '--check'], env);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toBe((await s.cli(['connect', '--check'])).stdout);
    expect(check.stdout).not.toMatch(/OAuth/);
    expect((await s.cli(['backfill', '--since', '7d'], env)).code).toBe(0);
    const status = JSON.parse((await s.cli(['status', '--json'], env)).stdout);
    expect(status.credential).toMatchObject({ kind: 'api-token' });
    expect(new Set(s.sandbox.control.requestLog().map((e) => e.token))).toEqual(new Set(['full']));
    expect(s.sandbox.control.oauthStats()).toMatchObject({ codesExchanged: 0, refreshes: 0, invalidGrants: 0 });
    expect(existsSync(join(s.work.env.XDG_CONFIG_HOME!, 'front-import'))).toBe(false);
  });
});
