// Issue 23, the hostile second week, through the real binary: what front-import reads before it
// trusts anything. A config planted above the working directory, one another user owns or may
// write (a .js one would run), a YAML alias bomb, a token a header cannot carry, a refused token
// that must say which Front and which setting, FRONT_IMPORT_DEST_URL that applies to nothing, and
// a webhook secret too short to rely on. One sandbox (in this process) for the whole file. Most
// scenarios run the program in-process (test/helpers/program.ts); the alias bomb (memory) and the
// listener (a server's start-up) spawn the binary.

import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { makeWorkdir, run, start, type Env } from '../helpers/cli.ts';
import { runProgram, type ProgramResult } from '../helpers/program.ts';
import { waitUntil } from '../helpers/reliability.ts';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ windowMs: 1000, conversations: 5 });
});
afterAll(async () => {
  await sandbox.close();
});

const work = makeWorkdir();
afterAll(() => work.remove());
/** A fresh folder under the work dir (outside HOME, which is work.home). */
function folder(name: string): string {
  const dir = join(work.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
const cli = (args: string[], cwd: string, env: Env = {}): Promise<ProgramResult> => runProgram(args, { cwd, env: { ...work.env, ...env } });
const configFileOf = async (cwd: string, env: Env = {}): Promise<string | null> => {
  const r = await cli(['config', '--offline', '--json'], cwd, env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).configFile;
};
/** Written with exactly this mode (the umask does not apply to chmod). */
function plant(path: string, text: string, mode = 0o600): string {
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('point 1: where a config is looked for, and which one is trusted', () => {
  it('outside HOME only the working directory is searched: a config planted in a folder above it is not read', async () => {
    const shared = folder('shared-tmp');
    const project = folder('shared-tmp/project');
    plant(join(shared, '.frontsyncrc.yaml'), 'front:\n  url: http://127.0.0.1:9/steal-the-token\n');
    expect(await configFileOf(project)).toBeNull();
    // The working directory itself is still searched.
    const own = plant(join(project, '.frontsyncrc.yaml'), 'front:\n  plan: starter\n');
    expect(await configFileOf(project)).toBe(own);
  });

  it('inside HOME the upward search stops at HOME: a config above HOME is not read, one in HOME is', async () => {
    const home = folder('h1');
    const project = folder('h1/home/code/project');
    plant(join(home, '.frontsyncrc'), 'front:\n  url: http://127.0.0.1:9/steal-the-token\n');
    const env = { HOME: join(home, 'home') };
    expect(await configFileOf(project, env)).toBeNull();
    const inHome = plant(join(home, 'home', '.frontsyncrc.json'), '{"front": {"plan": "starter"}}');
    expect(await configFileOf(project, env)).toBe(inHome);
  });

  it.each([
    { mode: 0o666, who: 'every user' },
    { mode: 0o664, who: 'its group' },
  ])('a config others may write (mode $mode) is refused with exit 2, naming the file and chmod go-w', async ({ mode, who }) => {
    const dir = folder(`writable-${mode.toString(8)}`);
    const path = plant(join(dir, '.frontsyncrc.yaml'), 'front:\n  url: http://127.0.0.1:9/\n', mode);
    const r = await cli(['config', '--offline'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path}: refused, ${who} can write it`);
    expect(r.stderr).toContain(`chmod go-w ${path}`);
    // Named with --config too.
    const named = await cli(['--config', path, 'status'], folder('elsewhere'));
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`chmod go-w ${path}`);
  });

  it('a world-writable frontsync.config.cjs is refused before it runs', async () => {
    const dir = folder('planted-js');
    const marker = join(dir, 'it-ran');
    plant(join(dir, 'frontsync.config.cjs'), `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = {};\n`, 0o666);
    const r = await cli(['config', '--offline'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('frontsync.config.cjs: refused, every user can write it');
    expect(existsSync(marker)).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)('a config owned by another user (not root) is refused with exit 2, naming the owner and the fix', async () => {
    const dir = folder('foreign');
    const path = plant(join(dir, '.frontsyncrc'), 'front:\n  plan: starter\n', 0o644);
    chownSync(path, 65534, 65534);
    const r = await cli(['config', '--offline'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path}: refused, it belongs to another user (uid 65534, you are uid 0)`);
    expect(r.stderr).toContain(`chown 0 ${path}`);
  });

  it('a refused token (401) names the Front URL and where the token was set: the variable, or the file', async () => {
    const dir = folder('revoked');
    const fromEnv = await cli(['connect', '--check'], dir, { FRONT_API_URL: sandbox.url, FRONT_API_TOKEN: sandbox.tokens.revoked });
    expect(fromEnv.code).toBe(3);
    expect(fromEnv.stderr).toContain(`Front at ${sandbox.url}; token from FRONT_API_TOKEN`);
    const path = plant(join(dir, '.frontsyncrc.yaml'), `front:\n  url: ${sandbox.url}\n  token: ${sandbox.tokens.revoked}\n`);
    const fromFile = await cli(['backfill', '--since', '1d', '--to', join(dir, 'out.ndjson')], dir, { FRONT_API_TOKEN: undefined });
    expect(fromFile.code).toBe(3);
    expect(fromFile.stderr).toContain(`Front at ${sandbox.url}; token from front.token in ${path}`);
  });

  it('config shows settings only, no derived keys (which subscriptions were picked, where the token came from)', async () => {
    const r = await cli(['config', '--offline', '--json'], folder('plain'), { FRONT_API_TOKEN: 'some-token-value' });
    const keys = (JSON.parse(r.stdout).settings as { key: string }[]).map((s) => s.key);
    expect(keys).toContain('front.token');
    expect(keys.filter((k) => /subscriptionsPicked|tokenFrom/.test(k))).toEqual([]);
  });
});

describe('point 2: a YAML alias bomb', () => {
  const bomb = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
    'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    'front: {plan: *i}',
  ].join('\n');

  it('the 10-line bomb exits 2 with the reason, inside a 192 MB heap (it expands to gigabytes unchecked)', async () => {
    const dir = folder('bomb');
    const path = plant(join(dir, '.frontsyncrc.yaml'), bomb);
    const r = await run(['config', '--offline'], { cwd: dir, env: { ...work.env, NODE_OPTIONS: '--max-old-space-size=192' } });
    expect(r.code, r.stderr.slice(0, 500)).toBe(2);
    expect(r.stderr).toContain(`invalid YAML in ${path}: more than 100 aliases to expand (an alias bomb?)`);
  }, 60_000);

  it('a config file over the size cap exits 2 with its size', async () => {
    const dir = folder('huge');
    const path = plant(join(dir, '.frontsyncrc.yaml'), `# ${'x'.repeat(300 * 1024)}\nfront: {plan: starter}\n`);
    const r = await cli(['config', '--offline'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${path}: \\d+ bytes is too large for a config file \\(at most 256 KB\\)`));
  });
});

describe('point 14: a token an HTTP header cannot carry', () => {
  it.each([
    { name: 'a typographic quote', token: 'abc\u201cdef-0123456789' },
    { name: 'a line break', token: 'abc\ndef-0123456789' },
  ])('with $name: exit 3 at once naming FRONT_API_TOKEN, no request sent', async ({ token }) => {
    const dir = folder(`bad-token-${token.length}-${token.charCodeAt(3)}`);
    plant(join(dir, '.frontsyncrc.yaml'), 'front:\n  retryBaseMs: 1\n');
    sandbox.control.clearRequestLog();
    const r = await cli(['connect', '--check'], dir, { FRONT_API_URL: sandbox.url, FRONT_API_TOKEN: token });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the Front token in FRONT_API_TOKEN holds a character an HTTP header cannot carry at character 4');
    expect(sandbox.control.requestLog()).toEqual([]);
  });

  it("the destination's token too: exit 2 before any Front request, naming FRONT_IMPORT_DEST_TOKEN, instead of exit 6 after fetching", async () => {
    const dir = folder('bad-dest-token');
    plant(join(dir, '.frontsyncrc.yaml'), 'front:\n  retryBaseMs: 1\n');
    sandbox.control.clearRequestLog();
    const r = await cli(['backfill', '--since', '1d'], dir, {
      FRONT_API_URL: sandbox.url,
      FRONT_API_TOKEN: sandbox.tokens.full,
      FRONT_IMPORT_DEST_URL: 'http://127.0.0.1:9/v1/highlights',
      FRONT_IMPORT_DEST_TOKEN: 'dest\u201ctoken-0123456789',
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'front-import: the token for destination http://127.0.0.1:9 (FRONT_IMPORT_DEST_TOKEN or destination.token) holds a character an HTTP header cannot carry at character 5 (a line break, a control character or a non-ASCII one such as a typographic quote): copy the token again',
    ]);
    expect(sandbox.control.requestLog()).toEqual([]);
  });
});

describe('point 18: FRONT_IMPORT_DEST_URL with a config of named subscriptions only', () => {
  it('is refused with exit 2, naming the subscriptions and how to use the variable in one', async () => {
    const dir = folder('subs-only');
    plant(join(dir, '.frontsyncrc.yaml'), 'subscriptions:\n  - name: support\n    destination: {type: ndjson, path: support.ndjson}\n');
    const r = await cli(['config', '--offline'], dir, { FRONT_IMPORT_DEST_URL: 'https://next.example.com/v1/highlights' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('FRONT_IMPORT_DEST_URL is set, but');
    expect(r.stderr).toContain('has only named subscriptions (support)');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config syntax the error message tells the user to write.
    expect(r.stderr).toContain('destination.url: ${FRONT_IMPORT_DEST_URL}');
  });
});

describe('point 4: a webhook secret under 16 characters', () => {
  it('config warns once; listen warns once at start-up and still serves', async () => {
    const dir = folder('weak-secret');
    const checked = await cli(['config', '--offline'], dir, { FRONT_WEBHOOK_SECRET: 'abc' });
    expect(checked.code).toBe(0);
    expect(checked.stderr.match(/is 3 characters long/g)).toHaveLength(1);

    const listener = start(['listen', '--port', '0', '--to', join(dir, 'out.ndjson')], {
      cwd: dir,
      env: { ...work.env, FRONT_API_URL: sandbox.url, FRONT_API_TOKEN: sandbox.tokens.full, FRONT_WEBHOOK_SECRET: 'abc' },
    });
    try {
      await waitUntil(() => /listening on/.test(listener.output().stdout + listener.output().stderr), 20_000, 'listen to start');
    } finally {
      listener.child.kill('SIGTERM');
    }
    const r = await listener.done;
    expect(r.stderr.match(/the webhook secret \(FRONT_WEBHOOK_SECRET or listen\.secret\) is 3 characters long/g)).toHaveLength(1);
    expect(r.stderr).toContain('use at least 16 random characters');
  }, 30_000);
});
