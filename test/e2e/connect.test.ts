// `front-import connect` through the real binary: --save's file and the exit codes. What connect
// prints is tested in-process (test/commands/connect.test.ts).

import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';

const keep = closeAfterEach();

function savedConfigPath(s: Scenario): string {
  return join(s.work.env.XDG_CONFIG_HOME!, 'frontsync', 'config.json');
}

describe('connect', () => {
  it('--save writes the token to the user config file (0600), says where, never prints it; later runs work without FRONT_API_TOKEN', async () => {
    const s = keep(await scenario({ sandbox: { seed: 46, conversations: 5 } }));
    const token = s.sandbox.tokens.full;
    const path = savedConfigPath(s);

    const r = await s.cli(['connect', '--save']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`token saved to ${path} (mode 0600)`);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ front: { token } });

    const later = await s.cli(['connect', '--check'], { FRONT_API_TOKEN: undefined });
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/^ok: token works for /);
    const withoutAny = await s.cli(['connect', '--check'], { FRONT_API_TOKEN: undefined, XDG_CONFIG_HOME: join(s.work.dir, 'elsewhere') });
    expect(withoutAny.code).toBe(3);
    expect(withoutAny.stderr).toMatch(/no Front API token: set FRONT_API_TOKEN/);
  });

  it('--save --check saves too, on the same single line', async () => {
    const s = keep(await scenario({ sandbox: { seed: 47, conversations: 5 } }));
    const path = savedConfigPath(s);
    const r = await s.cli(['connect', '--check', '--save']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ok: token works for /);
    expect(lines[0]!.endsWith(`; token saved to ${path}`)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).front.token).toBe(s.sandbox.tokens.full);
  });

  it('--save with a token Front refuses saves nothing and exits 3', async () => {
    const s = keep(await scenario({ sandbox: { seed: 48, conversations: 5 }, token: 'revoked' }));
    const r = await s.cli(['connect', '--save']);
    expect(r.code).toBe(3);
    expect(existsSync(savedConfigPath(s))).toBe(false);
  });
});
