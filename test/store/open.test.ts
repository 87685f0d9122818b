import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.ts';
import { MIGRATIONS, migrate, type Migration } from '../../src/store/sqlite/migrations.ts';
import { defaultStorePath } from '../../src/store/paths.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { toStoreError } from '../../src/store/sqlite/store-errors.ts';
import { DESTINATION, item, useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function expectStoreError(fn: () => unknown, message: RegExp): StoreError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(StoreError);
  expect((err as StoreError).message).toMatch(message);
  expect((err as StoreError).message).not.toContain('\n');
  return err as StoreError;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('opening', () => {
  it('creates missing directories (0700) and the file (0600), and keeps data across a reopen', async () => {
    const dir = join(tempDir(), 'nested', 'deeper');
    const path = join(dir, 'state.db');
    const first = openStore(path);
    await first.upsert(item(1, 'a'));
    await first.commitRun({ cursors: [{ name: 'sync', value: 1_700_000_000.5 }], clearCheckpoints: [] });
    await first.close();

    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = openStore(path);
    expect(second.location).toBe(path);
    expect((await second.snapshots(['cnv_1'])).get('cnv_1')?.version).toBe('a');
    expect((await second.getCursor('sync'))?.value).toBe(1_700_000_000.5);
    await second.close();
  });

  it('writes in WAL mode', async () => {
    const path = join(tempDir(), 'state.db');
    await openStore(path).close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('offers a throwaway in-memory store', async () => {
    const store = openStore(':memory:');
    expect(await store.upsert(item(1, 'a'))).toBe('created');
    expect(await store.outbox(DESTINATION).pendingCount()).toBe(1);
    await store.close();
  });

  it('migrates a schema-less (v0) SQLite file to the current schema', async () => {
    const path = join(tempDir(), 'state.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE scratch (x); DROP TABLE scratch;');
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    raw.close();

    const store = openStore(path);
    await store.upsert(item(1, 'a'));
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    check.close();
  });

  it('refuses a file from a newer front-import and leaves its bytes untouched', async () => {
    const path = join(tempDir(), 'state.db');
    const store = openStore(path);
    await store.upsert(item(1, 'a'));
    await store.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 7}`);
    raw.close();
    const before = readFileSync(path);

    expectStoreError(
      () => openStore(path),
      new RegExp(
        `^state file ${escapeRegExp(path)} was written by a newer front-import \\(schema v${MIGRATIONS.length + 7}, this version knows v${MIGRATIONS.length}\\): upgrade front-import or use another --db$`,
      ),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses random bytes as corrupt and leaves them untouched', () => {
    const path = join(tempDir(), 'state.db');
    const bytes = randomBytes(16_384);
    writeFileSync(path, bytes);
    expectStoreError(
      () => openStore(path),
      new RegExp(`^state file ${escapeRegExp(path)} is not a front-import state file or is corrupted \\(.+\\): move it away or use another --db$`),
    );
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it("refuses another program's SQLite database without adding tables to it", () => {
    const path = join(tempDir(), 'other.db');
    const raw = new Database(path);
    raw.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');");
    raw.close();
    const before = readFileSync(path);
    expectStoreError(() => openStore(path), /is not a front-import state file or is corrupted/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('names the path when the directory is not writable', (ctx) => {
    const dir = join(tempDir(), 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o500);
    try {
      // root ignores permission bits; the check below would pass for the wrong reason.
      if (canCreateFileIn(dir)) ctx.skip();
      const path = join(dir, 'state.db');
      expectStoreError(() => openStore(path), new RegExp(`${escapeRegExp(path)}.*directory ${escapeRegExp(dir)} is not writable`));
      expect(existsSync(path)).toBe(false);
      const deeper = join(dir, 'sub', 'state.db');
      expectStoreError(() => openStore(deeper), new RegExp(`${escapeRegExp(deeper)}.*directory ${escapeRegExp(dir)} is not writable`));
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('names the path when the file is not writable', async (ctx) => {
    const dir = tempDir();
    const path = join(dir, 'state.db');
    await openStore(path).close();
    chmodSync(path, 0o400);
    try {
      if (canOpenForWriting(path)) ctx.skip();
      expectStoreError(() => openStore(path), new RegExp(`state file ${escapeRegExp(path)} is not writable`));
    } finally {
      chmodSync(path, 0o600);
    }
  });

  it('rolls back a journal a killed write left (a state import loads with one) instead of calling the file unwritable', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.db');
    openStore(path).close();
    // A write killed half way in rollback-journal mode: the file and its journal copied while the
    // transaction is open, a page of the file already overwritten (a one-page cache spills at once).
    const writer = new Database(path);
    writer.pragma('journal_mode = DELETE');
    writer.pragma('cache_size = 1');
    writer.exec('BEGIN IMMEDIATE');
    writer.exec('UPDATE state_counts SET conversations = 999');
    const insert = writer.prepare('INSERT INTO cursors (name, value, updated_at) VALUES (?, 1, ?)');
    for (let i = 0; i < 500; i++) insert.run(`spill-${i}-${'x'.repeat(200)}`, 'now');
    const crashed = join(dir, 'crashed.db');
    copyFileSync(path, crashed);
    copyFileSync(`${path}-journal`, `${crashed}-journal`);
    writer.exec('ROLLBACK');
    writer.close();
    expect(statSync(`${crashed}-journal`).size).toBeGreaterThan(0);

    const store = openStore(crashed);
    expect(await store.getCursor('spill-0')).toBeUndefined();
    store.close();
    const after = new Database(crashed, { readonly: true });
    try {
      expect(after.prepare('SELECT conversations FROM state_counts').pluck().get()).toBe(0);
    } finally {
      after.close();
    }
    expect(existsSync(`${crashed}-journal`)).toBe(false);
  });

  it('refuses a directory given as the state file', () => {
    const dir = tempDir();
    expectStoreError(() => openStore(dir), new RegExp(`^state file ${escapeRegExp(dir)} is not a regular file`));
  });

  it('names the path when a parent "directory" is a file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'state.db');
    expectStoreError(() => openStore(path), new RegExp(escapeRegExp(path)));
  });
});

describe('migrations', () => {
  it('applies a newer migration in place, keeping the data', async () => {
    const path = join(tempDir(), 'state.db');
    const store = openStore(path);
    await store.upsert(item(1, 'a'));
    await store.close();

    const addNotes: Migration = (db) => db.exec('ALTER TABLE conversations ADD COLUMN notes TEXT');
    const db = new Database(path);
    migrate(db, path, [...MIGRATIONS, addNotes]);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    expect(db.prepare('SELECT conversation_id, notes FROM conversations').all()).toEqual([{ conversation_id: 'cnv_1', notes: null }]);
    db.close();
  });

  it('leaves the file at its old version when a migration step fails half way', async () => {
    const path = join(tempDir(), 'state.db');
    await openStore(path).close();
    const halfDone: Migration = (db) => {
      db.exec('CREATE TABLE newer_things (x)');
      throw new Error('step failed');
    };
    const db = new Database(path);
    expect(() => migrate(db, path, [...MIGRATIONS, halfDone])).toThrow('step failed');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'newer_things'").pluck().get()).toBe(0);
    db.close();
    await openStore(path).close();
  });
});

describe('error mapping', () => {
  it('turns a full disk into a StoreError naming the file', () => {
    const db = new Database(':memory:');
    db.pragma('max_page_count = 2');
    const err = thrown(() => db.exec('CREATE TABLE a (x); CREATE TABLE b (x); INSERT INTO a VALUES (randomblob(100000))'));
    db.close();
    const mapped = toStoreError(err, '/var/lib/state.db');
    expect(mapped).toBeInstanceOf(StoreError);
    expect((mapped as StoreError).message).toMatch(/^state file \/var\/lib\/state\.db could not be written: the disk is full/);
  });

  it('passes errors that are not about the file through unchanged', () => {
    const other = new TypeError('not ours');
    expect(toStoreError(other, '/x')).toBe(other);
  });
});

describe('defaultStorePath', () => {
  it('uses $XDG_STATE_HOME when it is absolute, else ~/.local/state', () => {
    expect(defaultStorePath({ XDG_STATE_HOME: '/xdg/state' }, '/home/ada', 'https://api2.frontapp.com')).toBe('/xdg/state/front-import/state.db');
    expect(defaultStorePath({}, '/home/ada', 'https://api2.frontapp.com')).toBe('/home/ada/.local/state/front-import/state.db');
    expect(defaultStorePath({ XDG_STATE_HOME: '' }, '/home/ada', 'https://api2.frontapp.com')).toBe('/home/ada/.local/state/front-import/state.db');
    expect(defaultStorePath({ XDG_STATE_HOME: 'relative/state' }, '/home/ada', 'https://api2.frontapp.com')).toBe('/home/ada/.local/state/front-import/state.db');
  });
});

function canCreateFileIn(dir: string): boolean {
  const probe = join(dir, '.probe');
  try {
    writeFileSync(probe, '');
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

function canOpenForWriting(path: string): boolean {
  try {
    closeSync(openSync(path, 'r+'));
    return true;
  } catch {
    return false;
  }
}

describe('opening a state another process is writing to', () => {
  it('opens an up-to-date state without the write lock, so a second run gets to its lock check instead of timing out', async () => {
    const path = join(tempDir(), 'state.db');
    await openStore(path).close();
    // Another process in the middle of a write transaction (a page being stored).
    const writer = new Database(path);
    writer.prepare('BEGIN IMMEDIATE').run();
    try {
      const store = openStore(path);
      expect(await store.lastRuns(1)).toEqual([]);
      await store.close();
    } finally {
      writer.prepare('ROLLBACK').run();
      writer.close();
    }
  });
});
