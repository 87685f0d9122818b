// Where the state lives: --state / FRONT_IMPORT_STATE_URL / state.url next to the older --db /
// FRONT_IMPORT_DB / store.path, sqlite: and postgres:// URLs, and passwords kept out of sight.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { maskPostgresUrl, parseStoreLocation, postgresPassword } from '../../src/store/location.ts';
import { ephemeralStateWarning } from '../../src/store/ephemeral-state.ts';
import { makeTree, type Tree } from './tree.ts';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.remove());

const PG = 'postgres://front:s3cr%40t@db.internal:5433/state?sslmode=require';

describe('state location', () => {
  it('takes a postgres:// URL from the flag, the environment or state.url, in that order', async () => {
    t.write('home/.frontsyncrc', 'state:\n  url: postgres://file@db/file\n');
    const fromFile = await t.load({ cwd: t.home });
    expect(fromFile.store).toEqual({ kind: 'postgres', url: 'postgres://file@db/file', display: 'postgres://file@db/file', schema: 'front_import' });
    const fromEnv = await t.load({ cwd: t.home, env: { FRONT_IMPORT_STATE_URL: PG } });
    expect(fromEnv.store).toMatchObject({ kind: 'postgres', url: PG, display: 'postgres://front:***@db.internal:5433/state?sslmode=require' });
    const fromFlag = await t.load({ cwd: t.home, env: { FRONT_IMPORT_STATE_URL: PG }, overrides: { state: 'sqlite:rel/state.db' } });
    expect(fromFlag.store).toEqual({ kind: 'sqlite', path: t.path('home/rel/state.db'), isDefault: false });
  });

  it('a URL in a higher layer beats a file path in a lower one, and the default is marked as such', async () => {
    t.write('home/.frontsyncrc', 'store:\n  path: file.db\n');
    expect((await t.load({ cwd: t.home, env: { FRONT_IMPORT_STATE_URL: PG } })).store.kind).toBe('postgres');
    expect((await t.load({ cwd: t.home, overrides: { db: 'flag.db' }, env: { FRONT_IMPORT_STATE_URL: PG } })).store).toMatchObject({ kind: 'sqlite', path: t.path('home/flag.db') });
    expect((await t.load({ cwd: t.dir('elsewhere') })).store).toMatchObject({ kind: 'sqlite', isDefault: true });
  });

  it('refuses both settings in one layer, an empty value and a scheme it does not speak, naming the setting', async () => {
    await expect(t.load({ cwd: t.home, env: { FRONT_IMPORT_STATE_URL: PG, FRONT_IMPORT_DB: 'x.db' } })).rejects.toThrow(
      'FRONT_IMPORT_STATE_URL and FRONT_IMPORT_DB both name the state; keep one',
    );
    await expect(t.load({ cwd: t.home, overrides: { state: '  ' } })).rejects.toThrow(/--state: expected a file path, a sqlite: URL or a postgres:\/\/ URL/);
    t.write('home/.frontsyncrc', 'state:\n  url: mysql://root:pw@db/state\n');
    const err = await t.load({ cwd: t.home }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('state.url: unsupported state URL scheme mysql; expected a file path, a sqlite: URL or a postgres:// URL');
  });

  it('reads sqlite: URLs in their usual spellings and ?schema= for a PostgreSQL schema', () => {
    const abs = (p: string) => (p.startsWith('/') ? p : `/cwd/${p}`);
    expect(parseStoreLocation('sqlite:///var/lib/fi/state.db', 'x', abs)).toMatchObject({ path: '/var/lib/fi/state.db' });
    expect(parseStoreLocation('sqlite:state.db', 'x', abs)).toMatchObject({ path: '/cwd/state.db' });
    expect(parseStoreLocation('postgresql://u@h/db?schema=acme', 'x', abs)).toMatchObject({ kind: 'postgres', schema: 'acme' });
    expect(() => parseStoreLocation('postgres://u@h/db?schema=Robert%27);DROP', 'x', abs)).toThrow(/schema=.* is not a plain lower-case PostgreSQL name/);
  });

  it('masks the password wherever it is, even in a URL too broken to parse', () => {
    expect(maskPostgresUrl('postgres://u:p@ss:word@h/db')).toBe('postgres://u:***@h/db');
    expect(maskPostgresUrl('postgres://u@h/db?password=hunter2&sslmode=require')).toBe('postgres://u@h/db?password=***&sslmode=require');
    expect(maskPostgresUrl('postgres://u:pw@[broken')).toBe('postgres://u:***@[broken');
    expect(postgresPassword(PG)).toBe('s3cr@t');
    expect(postgresPassword('postgres://u@h/db')).toBeNull();
  });
});

describe('ephemeral state warning', () => {
  const host = { inContainer: false, tmpDir: '/tmp' };
  const sqlite = (path: string, isDefault = false) => ({ kind: 'sqlite' as const, path, isDefault });

  it('in CI warns for the default file or one under the temp dir, naming --state; not for PostgreSQL or a kept path', () => {
    const ci = { CI: 'true' };
    expect(ephemeralStateWarning(sqlite('/root/.local/state/front-import/state.db', true), ci, host)).toMatch(
      /^the state file \/root\/\.local\/state\/front-import\/state\.db will not survive this CI job: .* --state postgres:\/\//,
    );
    expect(ephemeralStateWarning(sqlite('/tmp/run-1/state.db'), ci, host)).toMatch(/will not survive this CI job/);
    expect(ephemeralStateWarning(sqlite('/cache/front-import/state.db'), ci, host)).toBeNull();
    expect(ephemeralStateWarning({ kind: 'postgres', url: PG, display: '', schema: 'front_import' }, ci, host)).toBeNull();
    expect(ephemeralStateWarning(sqlite('/tmp/x.db'), {}, host)).toBeNull();
  });

  it('in a container warns for the default file only', () => {
    const inContainer = { ...host, inContainer: true };
    expect(ephemeralStateWarning(sqlite('/home/app/.local/state/front-import/state.db', true), {}, inContainer)).toMatch(/will not survive this container/);
    expect(ephemeralStateWarning(sqlite('/data/state.db'), {}, inContainer)).toBeNull();
  });
});
