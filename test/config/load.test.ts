// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's interpolation syntax these tests write and expect back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { requireToken } from '../../src/config/load.ts';
import { AuthError, ConfigError, UsageError } from '../../src/errors.ts';
import { makeTree, type Tree } from './tree.ts';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.remove());

describe('defaults', () => {
  it('applies the documented defaults when nothing is configured', async () => {
    const cwd = t.dir('home/project');
    const config = await t.load({ cwd });
    expect(config.configPath).toBeNull();
    expect(config.front).toEqual({
      token: null,
      tokenFrom: null,
      url: 'https://api2.frontapp.com',
      plan: 'professional',
      rpm: null,
      share: 0.8,
      burstPerSecond: 5,
      rateWindowMs: 60000,
      concurrency: 4,
      timeoutMs: 30000,
      retries: 5,
      retryBaseMs: 1000,
      maxResponseMB: 64,
      oauth: { clientId: null, clientSecret: null, redirectUri: 'http://127.0.0.1:8484/oauth/callback', url: 'https://app.frontapp.com' },
    });
    expect(config.store).toMatchObject({ kind: 'sqlite', path: join(t.home, '.local/state/front-import/state.db') });
    // Beside the state file, not in the current directory: a cron job in / must not write /highlights.ndjson.
    expect(config.subscriptions[0]!.destination).toEqual({ type: 'ndjson', path: join(t.home, '.local/state/front-import/highlights.ndjson'), isDefault: true });
    expect(config.subscriptions[0]!.scope).toEqual({ inboxes: [], teams: [], tags: [], excludeTags: [], statuses: [], customFields: {} });
    expect(config.subscriptions[0]!.routing.labels).toEqual([]);
    expect(config.highlights.maxTextLength).toBe(4000);
    expect(config.sync).toEqual({ initialWindow: '1d', overlapSeconds: 120 });
    expect(config.listen).toEqual({
      host: '127.0.0.1',
      port: 8787,
      path: '/front/webhook',
      secret: null,
      ruleSecret: null,
      ruleSecretHeader: 'x-front-import-secret',
    });
  });

  it('puts the default store under $XDG_STATE_HOME when it is set', async () => {
    const state = t.dir('state');
    const config = await t.load({ cwd: t.home, env: { XDG_STATE_HOME: state } });
    expect(config.store).toMatchObject({ kind: 'sqlite', path: join(state, 'front-import/state.db') });
  });
});

describe('precedence: flags > environment > config file > defaults', () => {
  const fileDb = 'file.db';

  it.each([
    { name: 'default', flag: undefined, env: undefined, file: false, expected: (t: Tree) => join(t.home, '.local/state/front-import/state.db') },
    { name: 'config file', flag: undefined, env: undefined, file: true, expected: (t: Tree) => t.path(`home/project/${fileDb}`) },
    { name: 'environment', flag: undefined, env: 'env.db', file: true, expected: (t: Tree) => t.path('home/project/sub/env.db') },
    { name: 'flag', flag: 'flag.db', env: 'env.db', file: true, expected: (t: Tree) => t.path('home/project/sub/flag.db') },
  ])('store path comes from the $name', async ({ flag, env, file, expected }) => {
    if (file) t.write('home/project/.frontsyncrc', `store:\n  path: ${fileDb}\n`);
    const cwd = t.dir('home/project/sub');
    const config = await t.load({ cwd, env: { FRONT_IMPORT_DB: env }, overrides: { db: flag } });
    expect(config.store).toMatchObject({ kind: 'sqlite', path: expected(t) });
  });

  it('environment beats the file for the Front URL, rpm and rate window', async () => {
    t.write('home/.frontsyncrc.json', JSON.stringify({ front: { url: 'https://file.example', rpm: 10, rateWindowMs: 30000 } }));
    const fromFile = await t.load({ cwd: t.home });
    expect([fromFile.front.url, fromFile.front.rpm, fromFile.front.rateWindowMs]).toEqual(['https://file.example', 10, 30000]);

    const fromEnv = await t.load({
      cwd: t.home,
      env: { FRONT_API_URL: 'http://127.0.0.1:4010/', FRONT_IMPORT_RPM: '7', FRONT_IMPORT_RATE_WINDOW_MS: '600' },
    });
    expect([fromEnv.front.url, fromEnv.front.rpm, fromEnv.front.rateWindowMs]).toEqual(['http://127.0.0.1:4010', 7, 600]);
  });

  it('treats an empty environment variable as unset', async () => {
    t.write('home/.frontsyncrc', 'store:\n  path: /data/file.db\nfront:\n  url: https://file.example\n');
    const config = await t.load({ cwd: t.home, env: { FRONT_IMPORT_DB: '', FRONT_API_URL: '', FRONT_IMPORT_RPM: '' } });
    expect(config.store).toMatchObject({ kind: 'sqlite', path: '/data/file.db' });
    expect(config.front.url).toBe('https://file.example');
    expect(config.front.rpm).toBeNull();
  });

  it('scope flags replace the config lists', async () => {
    t.write('home/.frontsyncrc', 'scope:\n  inboxes: [Support]\n  tags: [vip]\n  excludeTags: [spam]\n  statuses: [open]\n');
    const config = await t.load({ cwd: t.home, overrides: { inboxes: ['Sales'], statuses: ['archived', 'trashed'] } });
    expect(config.subscriptions[0]!.scope).toEqual({ inboxes: ['Sales'], teams: [], tags: ['vip'], excludeTags: ['spam'], statuses: ['archived', 'trashed'], customFields: {} });
  });

  it('the webhook secret comes from FRONT_WEBHOOK_SECRET before the file', async () => {
    t.write('home/.frontsyncrc', 'listen:\n  secret: from-file\n  ruleSecretHeader: X-My-Secret\n');
    expect((await t.load({ cwd: t.home })).listen.secret).toBe('from-file');
    const config = await t.load({ cwd: t.home, env: { FRONT_WEBHOOK_SECRET: 'from-env' } });
    expect(config.listen.secret).toBe('from-env');
    expect(config.listen.ruleSecretHeader).toBe('x-my-secret');
  });
});

describe('destination', () => {
  const httpFile = 'destination:\n  type: http\n  url: https://next.example/highlights\n  token: file-token\n  batchSize: 25\n';

  it('resolves a file destination against the config file directory', async () => {
    t.write('home/project/.frontsyncrc', 'destination:\n  type: ndjson\n  path: out/h.ndjson\n');
    const config = await t.load({ cwd: t.dir('home/project/deep/er') });
    expect(config.subscriptions[0]!.destination).toEqual({ type: 'ndjson', path: t.path('home/project/out/h.ndjson'), isDefault: false });
  });

  it('--to - writes to stdout, --to PATH to a file relative to cwd', async () => {
    const cwd = t.dir('home/work');
    expect((await t.load({ cwd, overrides: { to: '-' } })).subscriptions[0]!.destination).toEqual({ type: 'ndjson', path: '-', isDefault: false });
    expect((await t.load({ cwd, overrides: { to: 'x.ndjson' } })).subscriptions[0]!.destination).toEqual({
      type: 'ndjson',
      path: join(cwd, 'x.ndjson'),
      isDefault: false,
    });
  });

  it('--to URL keeps the http settings and token of the config file', async () => {
    t.write('home/.frontsyncrc', httpFile);
    const config = await t.load({ cwd: t.home, overrides: { to: 'http://127.0.0.1:9999/in' } });
    expect(config.subscriptions[0]!.destination).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:9999/in',
      token: 'file-token',
      batchSize: 25,
      timeoutMs: 15000,
      retries: 5,
      retryBaseMs: 1000,
      signingSecret: null,
    });
  });

  it('FRONT_IMPORT_DEST_URL and FRONT_IMPORT_DEST_TOKEN beat the file; --to beats them', async () => {
    t.write('home/.frontsyncrc', httpFile);
    const env = { FRONT_IMPORT_DEST_URL: 'https://env.example/in', FRONT_IMPORT_DEST_TOKEN: 'env-token' };
    const fromEnv = await t.load({ cwd: t.home, env });
    expect(fromEnv.subscriptions[0]!.destination).toMatchObject({ type: 'http', url: 'https://env.example/in', token: 'env-token', batchSize: 25 });
    const fromFlag = await t.load({ cwd: t.home, env, overrides: { to: 'out.ndjson' } });
    expect(fromFlag.subscriptions[0]!.destination).toEqual({ type: 'ndjson', path: join(t.home, 'out.ndjson'), isDefault: false });
  });
});

describe('where the config file is found', () => {
  it('searches from a nested cwd upward, nearest file first', async () => {
    t.write('home/.frontsyncrc', 'front:\n  plan: starter\n');
    const project = t.write('home/repo/.frontsyncrc.yaml', 'front:\n  plan: enterprise\n');
    const config = await t.load({ cwd: t.dir('home/repo/packages/a/src') });
    expect(config.configPath).toBe(project);
    expect(config.front.plan).toBe('enterprise');
  });

  it('reads the "frontsync" key of package.json', async () => {
    const pkg = t.write('home/repo/package.json', JSON.stringify({ name: 'x', frontsync: { front: { plan: 'starter' } } }));
    const config = await t.load({ cwd: t.dir('home/repo/lib') });
    expect(config.configPath).toBe(pkg);
    expect(config.front.plan).toBe('starter');
  });

  it('loads a frontsync.config.cjs file', async () => {
    t.write('home/repo/frontsync.config.cjs', 'module.exports = { highlights: { maxTextLength: 500 } };\n');
    expect((await t.load({ cwd: t.dir('home/repo') })).highlights.maxTextLength).toBe(500);
  });

  it('stops at the home directory', async () => {
    t.write('.frontsyncrc', 'front:\n  plan: starter\n');
    const config = await t.load({ cwd: t.dir('home/repo') });
    expect(config.configPath).toBeNull();
  });

  it('finds the user config file from an unrelated cwd (a cron job)', async () => {
    const userFile = t.write('home/.config/frontsync/config.yaml', 'front:\n  plan: enterprise\n');
    const config = await t.load({ cwd: t.dir('cron/x') });
    expect(config.configPath).toBe(userFile);
    expect(config.front.plan).toBe('enterprise');
  });

  it('honours XDG_CONFIG_HOME for the user config directory', async () => {
    const userFile = t.write('xdg/frontsync/config', '{"front": {"plan": "starter"}}');
    t.write('home/.config/frontsync/config.yaml', 'front:\n  plan: enterprise\n');
    const config = await t.load({ cwd: t.dir('cron/x'), env: { XDG_CONFIG_HOME: t.path('xdg') } });
    expect(config.configPath).toBe(userFile);
    expect(config.front.plan).toBe('starter');
  });

  it('a project config wins over the user config file', async () => {
    t.write('home/.config/frontsync/config.json', '{"front": {"plan": "enterprise"}}');
    const project = t.write('home/repo/.frontsyncrc', 'front:\n  plan: starter\n');
    const config = await t.load({ cwd: t.dir('home/repo') });
    expect(config.configPath).toBe(project);
    expect(config.front.plan).toBe('starter');
  });

  it('--config loads exactly that file, relative to cwd', async () => {
    t.write('home/repo/.frontsyncrc', 'front:\n  plan: starter\n');
    const named = t.write('home/repo/conf/other.yml', 'front:\n  plan: enterprise\n');
    const config = await t.load({ cwd: t.dir('home/repo'), configPath: 'conf/other.yml' });
    expect(config.configPath).toBe(named);
    expect(config.front.plan).toBe('enterprise');
  });

  it('--config with a missing file is a config error', async () => {
    const cwd = t.dir('home/repo');
    const err = await t.load({ cwd, configPath: 'nope.yaml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`--config: no such file: ${join(cwd, 'nope.yaml')}`);
  });
});

describe('${VAR} interpolation', () => {
  it('reads ${VAR} in string values from the environment', async () => {
    t.write(
      'home/.frontsyncrc',
      'destination:\n  type: http\n  url: https://${DEST_HOST}/in\n  token: ${NEXT_TOKEN}\nscope:\n  inboxes: ["${INBOX}"]\n',
    );
    const config = await t.load({ cwd: t.home, env: { DEST_HOST: 'next.example', NEXT_TOKEN: 'tok-1', INBOX: 'inb_9' } });
    expect(config.subscriptions[0]!.destination).toMatchObject({ url: 'https://next.example/in', token: 'tok-1' });
    expect(config.subscriptions[0]!.scope.inboxes).toEqual(['inb_9']);
  });

  it.each([undefined, ''])('a missing variable (%j) is an error naming the key and the variable', async (value) => {
    const file = t.write('home/.frontsyncrc', 'destination:\n  type: http\n  url: https://x.example\n  token: ${NEXT_TOKEN}\n');
    await expect(t.load({ cwd: t.home, env: { NEXT_TOKEN: value } })).rejects.toThrow(
      new ConfigError(`${file}: destination.token: refers to \${NEXT_TOKEN}, but NEXT_TOKEN is not set or empty`),
    );
  });
});

describe('the Front token', () => {
  const saved = (token: string) => t.write('home/.config/frontsync/config.json', JSON.stringify({ front: { token } }));

  it('FRONT_API_TOKEN beats the config file, which beats the saved token', async () => {
    saved('saved-token');
    t.write('home/repo/.frontsyncrc', 'front:\n  token: project-token\n');
    const cwd = t.dir('home/repo');
    expect((await t.load({ cwd, env: { FRONT_API_TOKEN: 'env-token' } })).front.token).toBe('env-token');
    expect((await t.load({ cwd })).front.token).toBe('project-token');
  });

  it('falls back to the token saved by `connect --save` when a project config has none', async () => {
    saved('saved-token');
    t.write('home/repo/.frontsyncrc', 'front:\n  plan: starter\n');
    const config = await t.load({ cwd: t.dir('home/repo') });
    expect(requireToken(config, {})).toBe('saved-token');
  });

  it('reports an empty FRONT_API_TOKEN even when a token is saved', async () => {
    saved('saved-token');
    const env = { FRONT_API_TOKEN: '' };
    const config = await t.load({ cwd: t.home, env });
    expect(() => requireToken(config, env)).toThrow(AuthError);
    expect(() => requireToken(config, env)).toThrow(/^FRONT_API_TOKEN is set but empty/);
  });

  it('with no token anywhere, says how to provide one', async () => {
    const config = await t.load({ cwd: t.home });
    expect(() => requireToken(config, {})).toThrow(AuthError);
    expect(() => requireToken(config, {})).toThrow(/FRONT_API_TOKEN.*front-import connect --save/);
  });
});

describe('error messages', () => {
  async function errorFor(content: string, name = '.frontsyncrc', env: Record<string, string> = {}) {
    const file = t.write(`home/${name}`, content);
    const err = await t.load({ cwd: t.home, env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    return { file, message: (err as Error).message };
  }

  it.each([
    ['front:\n  plan: pro\n', 'front.plan: expected one of starter, professional, enterprise; got "pro" (Did you mean professional?)'],
    ['front:\n  plan: profesional\n', 'front.plan: expected one of starter, professional, enterprise; got "profesional" (Did you mean professional?)'],
    ['front:\n  share: "0.5"\n', 'front.share: expected a number; got string'],
    ['front:\n  share: 1.5\n', 'front.share: expected a number greater than 0 and at most 1; got 1.5'],
    ['front:\n  concurrency: 20\n', 'front.concurrency: expected an integer from 1 to 16; got 20'],
    ['front:\n  rpm: 2.5\n', 'front.rpm: expected a positive integer; got 2.5'],
    ['scope:\n  inbox: [Support]\n', 'scope: unknown key "inbox" (did you mean "inboxes"?)'],
    ['frnt:\n  plan: starter\n', 'unknown key "frnt" (did you mean "front"?)'],
    ['scope:\n  statuses: [open, closed]\n', 'scope.statuses[1]: expected one of open, archived, spam, trashed; got "closed"'],
    ['destination:\n  type: s3\n', 'destination.type: expected one of ndjson, http; got "s3"'],
    ['destination:\n  type: http\n', 'destination.url: missing (expected a string)'],
    ['destination:\n  path: out.ndjson\n', 'destination.type: missing (expected one of ndjson, http)'],
    ['- front\n', 'expected an object; got list'],
    ['destination:\n  type: http\n  url: ftp://x.example\n', 'destination.url: expected an http(s) URL; got "ftp://x.example"'],
    [
      'routing:\n  labels:\n    - when: {tag: vip, inbox: Sales}\n      label: VIP\n',
      'routing.labels[0].when: expected exactly one of tag, status, inbox, customField, language; got an object with keys tag, inbox',
    ],
    ['routing:\n  labels:\n    - when: {}\n      label: VIP\n', 'routing.labels[0].when: expected exactly one of tag, status, inbox, customField, language; got an empty object'],
    ['sync:\n  initialWindow: 1x\n', 'sync.initialWindow: expected a duration above zero (45s, 90m, 36h, 7d, 2w); got "1x"'],
    ['listen:\n  path: webhook\n  port: 70000\n', '2 problems:\n  listen.port: expected an integer from 0 to 65535; got 70000\n  listen.path: expected a path starting with /; got "webhook"'],
    ['listen:\n  path: webhook\n', 'listen.path: expected a path starting with /; got "webhook"'],
  ])('%j -> %s', async (content, expected) => {
    const { file, message } = await errorFor(content);
    expect(message).toBe(`${file}: ${expected}`);
  });

  it('reports invalid YAML with its line', async () => {
    const { file, message } = await errorFor('front:\n  plan: starter\n   url: x\n');
    expect(message).toBe(`invalid YAML in ${file}: nested mappings are not allowed in compact mappings (line 2)`);
  });

  it('reports invalid JSON with its line', async () => {
    const { file, message } = await errorFor('{\n  "front": {\n    "plan": "starter"\n    "url": "x"\n  }\n}\n', '.frontsyncrc.json');
    expect(message).toBe(`invalid JSON in ${file}: expected ',' or '}' after property value (line 4)`);
  });

  it.each([
    [{ FRONT_API_URL: 'api2.frontapp.com' }, 'FRONT_API_URL: expected an http(s) URL; got "api2.frontapp.com"'],
    [{ FRONT_IMPORT_DEST_URL: 'file:///tmp/x' }, 'FRONT_IMPORT_DEST_URL: expected an http(s) URL; got "file:///tmp/x"'],
    [{ FRONT_IMPORT_RPM: '0' }, 'FRONT_IMPORT_RPM: expected a positive integer; got "0"'],
    [{ FRONT_IMPORT_RATE_WINDOW_MS: '1e3' }, 'FRONT_IMPORT_RATE_WINDOW_MS: expected a positive integer; got "1e3"'],
  ])('environment %j -> %s', async (env, expected) => {
    await expect(t.load({ cwd: t.home, env })).rejects.toThrow(new ConfigError(expected));
  });

  it('refuses a --to URL with another scheme', async () => {
    await expect(t.load({ cwd: t.home, overrides: { to: 'ftp://files.example/x' } })).rejects.toThrow(
      new ConfigError('--to: expected a file path, - or an http(s) URL; got "ftp://files.example/x"'),
    );
  });

  it('reports bad flag values as usage errors', async () => {
    await expect(t.load({ cwd: t.home, overrides: { statuses: ['open', 'closed'] } })).rejects.toThrow(
      new UsageError('--status: expected one of open, archived, spam, trashed; got "closed"'),
    );
    await expect(t.load({ cwd: t.home, overrides: { db: '' } })).rejects.toThrow(new UsageError('--db: expected a file path; got ""'));
  });
});

describe('secrets never appear in errors', () => {
  const SECRET = 'sk_live_DO_NOT_PRINT_123';

  it.each([
    ['.frontsyncrc', `front:\n  token: ${SECRET}\n   plan: x\n`],
    ['.frontsyncrc.json', `{"front": {"token": "${SECRET}" "plan": "starter"}}`],
    ['.frontsyncrc.json', `{"front": {"token": ${SECRET}}}`],
    ['.frontsyncrc', `front:\n  token: [${SECRET}]\n`],
    ['.frontsyncrc', `destination:\n  type: http\n  url: https://x.example\n  token: {v: ${SECRET}}\n`],
    ['.frontsyncrc', `listen:\n  secret: ${SECRET}\n  ruleSecret: ${SECRET}\n  port: nope\n`],
    ['.frontsyncrc', `front:\n  token: ${SECRET}\n  plan: pro\n`],
  ])('%s: %j', async (name, content) => {
    t.write(`home/${name}`, content);
    const err = await t.load({ cwd: t.home }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const text = `${(err as Error).message}\n${(err as Error).stack}\n${String((err as Error).cause ?? '')}`;
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('DO_NOT_PRINT');
  });

  it('describes a badly typed secret by its type only', async () => {
    const file = t.write('home/.frontsyncrc', 'front:\n  token: 123456789\n');
    await expect(t.load({ cwd: t.home })).rejects.toThrow(new ConfigError(`${file}: front.token: expected a string; got number`));
  });
});
