import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { requireToken, saveUserToken, userConfigPath } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { makeTree, type Tree } from './tree.ts';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.remove());

const mode = (path: string) => statSync(path).mode & 0o777;
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;

describe('userConfigPath', () => {
  it('is under ~/.config/frontsync, or $XDG_CONFIG_HOME/frontsync when that is absolute', () => {
    expect(userConfigPath({}, t.home)).toBe(join(t.home, '.config/frontsync/config.json'));
    expect(userConfigPath({ XDG_CONFIG_HOME: '/etc/xdg-user' }, t.home)).toBe('/etc/xdg-user/frontsync/config.json');
    expect(userConfigPath({ XDG_CONFIG_HOME: 'relative/dir' }, t.home)).toBe(join(t.home, '.config/frontsync/config.json'));
  });
});

describe('saveUserToken', () => {
  it('creates the directories and a file only the user can read', async () => {
    const path = userConfigPath({}, t.home);
    await saveUserToken(path, 'tok-new');
    expect(json(path)).toEqual({ front: { token: 'tok-new' } });
    expect(mode(path)).toBe(0o600);
  });

  it('keeps the other keys, replaces the token and tightens an existing file to 0600', async () => {
    const path = t.write('home/.config/frontsync/config.json', JSON.stringify({ front: { plan: 'starter', token: 'old' }, store: { path: '/x.db' } }));
    chmodSync(path, 0o644);
    await saveUserToken(path, 'tok-new');
    expect(json(path)).toEqual({ front: { plan: 'starter', token: 'tok-new' }, store: { path: '/x.db' } });
    expect(mode(path)).toBe(0o600);
    expect(readdirSync(t.path('home/.config/frontsync'))).toEqual(['config.json']);
  });

  it('writes through a symlink instead of replacing it', async () => {
    const real = t.write('dotfiles/frontsync.json', '{}');
    const link = join(t.dir('home/.config/frontsync'), 'config.json');
    symlinkSync(real, link);
    await saveUserToken(link, 'tok-new');
    expect(json(real)).toEqual({ front: { token: 'tok-new' } });
    expect(mode(real)).toBe(0o600);
  });

  it('refuses to overwrite a file that is not JSON, without printing its content', async () => {
    const path = t.write('home/.config/frontsync/config.json', 'front:\n  token: secret-old\n');
    const err = await saveUserToken(path, 'tok-new').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).not.toContain('secret-old');
    expect((err as Error).message).not.toContain('tok-new');
    expect(readFileSync(path, 'utf8')).toBe('front:\n  token: secret-old\n');
  });

  it('the saved token is found later from any directory', async () => {
    await saveUserToken(userConfigPath({}, t.home), 'tok-saved');
    const config = await t.load({ cwd: t.dir('cron') });
    expect(requireToken(config, {})).toBe('tok-saved');
  });
});
