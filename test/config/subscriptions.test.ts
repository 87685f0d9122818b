import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { makeTree, type Tree } from './tree.ts';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.remove());

const twoTeams = [
  'subscriptions:',
  '  - name: support',
  '    destination: {type: http, url: "https://next.example/support", token: support-token}',
  '    scope: {inboxes: [Support]}',
  '    routing: {labels: [{when: {tag: vip}, label: p1}]}',
  '  - name: billing',
  '    destination: {type: ndjson, path: out/billing.ndjson}',
  '    scope: {tags: [invoice]}',
  '',
].join('\n');

describe('subscriptions in config', () => {
  it('a config without subscriptions is one implicit subscription named default', async () => {
    t.write('home/.frontsyncrc', 'scope:\n  inboxes: [Sales]\n');
    const config = await t.load({ cwd: t.home });
    expect(config.subscriptions.map((s) => [s.name, s.implicit, s.scope.inboxes])).toEqual([['default', true, ['Sales']]]);
  });

  it('named subscriptions each get their destination, scope and routing; relative paths from the config file', async () => {
    t.write('home/.frontsyncrc', twoTeams);
    const config = await t.load({ cwd: t.dir('home/elsewhere') });
    expect(config.subscriptions.map((s) => s.name)).toEqual(['support', 'billing']);
    const [support, billing] = config.subscriptions;
    expect(support!.destination).toMatchObject({ type: 'http', url: 'https://next.example/support', token: 'support-token' });
    expect(support!.routing.labels).toEqual([{ when: { tag: 'vip' }, label: 'p1' }]);
    expect(billing!.destination).toEqual({ type: 'ndjson', path: t.path('home/out/billing.ndjson'), isDefault: false });
    expect(billing!.scope).toEqual({ inboxes: [], teams: [], tags: ['invoice'], excludeTags: [], statuses: [], customFields: {} });
  });

  it('top-level keys beside subscriptions stay a subscription of their own', async () => {
    t.write('home/.frontsyncrc', `destination: {type: ndjson, path: all.ndjson}\n${twoTeams}`);
    const config = await t.load({ cwd: t.home });
    expect(config.subscriptions.map((s) => s.name)).toEqual(['default', 'support', 'billing']);
  });

  it('the environment token only fills in a named subscription, never overrides it', async () => {
    t.write(
      'home/.frontsyncrc',
      `${twoTeams}  - name: ops\n    destination: {type: http, url: "https://next.example/ops"}\n`,
    );
    const config = await t.load({ cwd: t.home, env: { FRONT_IMPORT_DEST_TOKEN: 'env-token' } });
    expect(config.subscriptions.find((s) => s.name === 'support')!.destination).toMatchObject({ url: 'https://next.example/support', token: 'support-token' });
    expect(config.subscriptions.find((s) => s.name === 'ops')!.destination).toMatchObject({ url: 'https://next.example/ops', token: 'env-token' });
  });

  it('--subscription picks some (repeatable, any case); an unknown name gets a suggestion', async () => {
    t.write('home/.frontsyncrc', twoTeams);
    const picked = await t.load({ cwd: t.home, overrides: { subscriptions: ['Billing', 'billing'] } });
    expect(picked.subscriptions.map((s) => s.name)).toEqual(['billing']);
    await expect(t.load({ cwd: t.home, overrides: { subscriptions: ['suport'] } })).rejects.toThrow(
      new UsageError('--subscription: no subscription named "suport" (did you mean "support"?); configured: support, billing'),
    );
  });

  it('--to and the scope flags change exactly one subscription', async () => {
    t.write('home/.frontsyncrc', twoTeams);
    await expect(t.load({ cwd: t.home, overrides: { to: 'x.ndjson', inboxes: ['Sales'] } })).rejects.toThrow(
      new UsageError('--to, --inbox: apply to one subscription; add --subscription NAME (configured: support, billing)'),
    );
    const one = await t.load({ cwd: t.home, overrides: { subscriptions: ['support'], to: 'https://other.example/in', tags: ['urgent'] } });
    expect(one.subscriptions).toHaveLength(1);
    expect(one.subscriptions[0]!.destination).toMatchObject({ type: 'http', url: 'https://other.example/in', token: 'support-token' });
    expect(one.subscriptions[0]!.scope).toMatchObject({ inboxes: ['Support'], tags: ['urgent'] });
  });

  it('refuses two subscriptions with one name or one destination', async () => {
    const file = t.write('home/.frontsyncrc', `${twoTeams}  - name: SUPPORT\n    destination: {type: ndjson, path: x.ndjson}\n`);
    await expect(t.load({ cwd: t.home })).rejects.toThrow(new ConfigError(`${file}: subscriptions: two subscriptions are named "SUPPORT"`));
    t.write('home/.frontsyncrc', `${twoTeams}  - name: again\n    destination: {type: http, url: "https://NEXT.example:443/support#x"}\n`);
    await expect(t.load({ cwd: t.home })).rejects.toThrow(
      new ConfigError(`${file}: subscriptions "support" and "again" both deliver to https://next.example/support: delivery state is kept per destination, so give each subscription its own`),
    );
  });

  it('checks each subscription like the top-level keys, and never shows its secrets', async () => {
    const file = t.write(
      'home/.frontsyncrc',
      'subscriptions:\n  - name: a b\n    destination: {type: ndjson, path: x}\n',
    );
    await expect(t.load({ cwd: t.home })).rejects.toThrow(
      new ConfigError(`${file}: subscriptions[0].name: expected a name of letters, digits, ".", "_" or "-" (at most 64); got "a b"`),
    );
    t.write('home/.frontsyncrc', 'subscriptions:\n  - name: a\n    destination: {type: http, url: "https://x.example", signingSecret: 42}\n');
    await expect(t.load({ cwd: t.home })).rejects.toThrow(new ConfigError(`${file}: subscriptions[0].destination.signingSecret: expected a string; got number`));
    t.write('home/.frontsyncrc', 'subscriptions:\n  - name: a\n    destination: {type: http, url: "https://x.example", token: ""}\n');
    await expect(t.load({ cwd: t.home })).rejects.toThrow(
      new ConfigError(`${file}: subscriptions[0].destination.token: expected a non-empty string; got an empty string`),
    );
  });
});

describe('--to', () => {
  it('a host typed without its scheme is refused with the URL it probably meant', async () => {
    await expect(t.load({ cwd: t.home, overrides: { to: 'next.example.com/v1/highlights' } })).rejects.toThrow(
      new ConfigError(
        '--to: "next.example.com/v1/highlights" looks like a web address without its scheme: did you mean https://next.example.com/v1/highlights? (for a file under a folder of that name, write ./next.example.com/v1/highlights)',
      ),
    );
    await expect(t.load({ cwd: t.home, overrides: { to: 'localhost:8080/in' } })).rejects.toThrow(/did you mean https:\/\/localhost:8080\/in\?/);
  });

  it('file names with dots, ./paths and existing folders stay files', async () => {
    t.dir('home/out.d');
    for (const to of ['a.ndjson', 'out.d/h.ndjson', './next.example.com/h', 'data/h.ndjson', '../x.y/z']) {
      const config = await t.load({ cwd: t.home, overrides: { to } });
      expect(config.subscriptions[0]!.destination.type, to).toBe('ndjson');
    }
  });
});
