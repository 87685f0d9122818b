// Scenario 5: the state file misbehaving. Unwritable file or folder, a folder that does not exist yet,
// a full disk (a file-size limit stands in for it), a corrupted file, a store from an older schema
// (migrated, its data kept) and one from a newer front-import (refused, left byte for byte as it was).

import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations.ts';
import type { SpawnLimits } from '../helpers/cli.ts';
import { activeSince, importable, scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';
import { auditDelivery } from '../helpers/reliability.ts';

const DAY = 86_400_000;
const SINCE = '8d';

const keep = closeAfterEach();

/** File modes do not stop root: when the suite runs as root, permission cases run as nobody. */
const unprivileged: SpawnLimits = process.getuid?.() === 0 ? { user: { uid: 65534, gid: 65534 } } : {};

/**
 * The state file's digest and the bytes of write-ahead log beside it: "left as it was" means both are
 * unchanged. (Looking inside a WAL-mode file, even read-only, makes SQLite create an empty -wal and
 * an -shm next to it; neither changes what the file holds.)
 */
function fingerprint(db: string): { digest: string; walBytes: number } {
  const wal = `${db}-wal`;
  return { digest: createHash('sha256').update(readFileSync(db)).digest('hex'), walBytes: existsSync(wal) ? statSync(wal).size : 0 };
}

/** One line on stderr naming the state file, no stack trace, nothing on stdout, exit 2. */
function expectStoreRefusal(r: { code: number | null; stdout: string; stderr: string }, db: string, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(db);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const expectedIds = (s: Scenario) => activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`);

describe('store faults', () => {
  it('an unwritable state file or folder: exit 2 naming it and what to fix, file untouched; fixed, the run completes', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 81 } }));
    expect((await s.cli(['backfill', '--since', SINCE])).code).toBe(0);
    const db = s.work.db;
    const folder = dirname(db);
    chmodSync(s.work.dir, 0o755);
    chmodSync(folder, 0o777);
    chmodSync(db, 0o444);
    const before = fingerprint(db);
    const file = await s.binary(['sync'], {}, unprivileged);
    expectStoreRefusal(file, db, /is not writable \(EACCES\): fix its permissions or use another --db/);
    expect(fingerprint(db)).toEqual(before);

    chmodSync(db, 0o666);
    chmodSync(folder, 0o755);
    const dir = await s.binary(['sync'], {}, unprivileged);
    expectStoreRefusal(dir, db, new RegExp(`directory ${folder} is not writable \\(EACCES\\)`));
    expect(fingerprint(db)).toEqual(before);

    chmodSync(folder, 0o700);
    chmodSync(db, 0o600);
    expect((await s.cli(['sync'])).code).toBe(0);
    console.log(`store-unwritable: file and folder refused with exit 2, state file unchanged; fixed, sync exit 0`);
  });

  it('a folder that does not exist yet is created (private); a path through a file is refused, saying why', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 82 } }));
    const deep = join(s.work.dir, 'a', 'b', 'c', 'state.db');
    expect((await s.cli(['backfill', '--since', SINCE, '--db', deep])).code).toBe(0);
    expect(statSync(deep).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(deep)).mode & 0o777).toBe(0o700);

    writeFileSync(join(s.work.dir, 'file'), '');
    const blocked = join(s.work.dir, 'file', 'state.db');
    expectStoreRefusal(await s.cli(['sync', '--db', blocked]), blocked, /cannot be opened \(ENOTDIR\): check the path or use another --db/);
    expect(s.receiver.accepted()).toHaveLength(importable(s.sandbox.control.truth().conversations).length);
  });

  it('a full disk mid-run: exit 2 saying so, no stack trace; with space again the next run completes, nothing lost, file intact', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 300, seed: 83 } }));
    // The state file of this run outgrows 256 KB part way through the fetch.
    const full = await s.binary(['backfill', '--since', SINCE], {}, { maxFileBytes: 256 * 1024 });
    expectStoreRefusal(full, s.work.db, /could not be (read or )?written .*(disk is full|disk may be full)/);
    expect(s.sandbox.control.requestLog().length).toBeGreaterThan(0);

    const again = await s.cli(['backfill', '--since', SINCE]);
    expect(again.code).toBe(0);
    const audit = auditDelivery(s.receiver, expectedIds(s));
    expect(audit).toMatchObject({ missing: [], unexpected: [], duplicateVersions: [] });
    const db = new Database(s.work.db, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    console.log(`store-disk-full: ${full.stderr.trim()} | next run exit ${again.code}, ${audit.delivered} delivered, ${audit.missing.length} missing, integrity ok`);
  });

  it.each([
    ['garbage bytes', (db: string) => writeFileSync(db, Buffer.alloc(64 * 1024, 0x5a))],
    ['cut in half', (db: string) => truncateSync(db, Math.floor(statSync(db).size / 2))],
    ['another program’s SQLite database', (db: string) => {
      writeFileSync(db, '');
      const other = new Database(db);
      other.exec('CREATE TABLE notes (body TEXT)');
      other.close();
    }],
  ])('a corrupted state file (%s): exit 2 saying so, for status too; the file is left as it was', async (_, corrupt) => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 84 } }));
    expect((await s.cli(['backfill', '--since', SINCE])).code).toBe(0);
    corrupt(s.work.db);
    const before = fingerprint(s.work.db);
    expectStoreRefusal(await s.cli(['sync']), s.work.db, /is not a front-import state file or is corrupted .*: move it away or use another --db/);
    expectStoreRefusal(await s.cli(['status']), s.work.db, /is not a front-import state file or is corrupted/);
    expect(fingerprint(s.work.db)).toEqual(before);
  });

  it.each([0, 1, 2].filter((v) => v < MIGRATIONS.length))('a state file from schema v%i is migrated and used, keeping the cursor and pending Highlights it holds', async (version) => {
    const s = keep(await scenario({ sandbox: { conversations: 40, seed: 85 } }));
    mkdirSync(dirname(s.work.db), { recursive: true });
    const old = new Database(s.work.db);
    migrate(old, s.work.db, MIGRATIONS.slice(0, version));
    const cursor = Date.now() / 1000 - 36 * 3600;
    if (version >= 1) {
      // Written with v1's columns, which never change (migrations are append-only).
      const now = new Date().toISOString();
      old.prepare('INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)').run('sync', cursor, now);
      const highlight = {
        id: 'front:cnv_old1', version: 'a'.repeat(64), source: 'front', conversationId: 'cnv_old1', title: 'Kept across the upgrade',
        text: 'Pending when the old version stopped.', requester: null, assignee: null, status: 'open', statusCategory: null, tags: [],
        labels: [], createdAt: now, updatedAt: now, lastMessageAt: null, sourceUrl: 'https://app.frontapp.com/open/cnv_old1',
      };
      old.prepare(
        `INSERT INTO conversations (conversation_id, id, version, payload, first_seen_at, updated_at, pending_seq)
         VALUES ('cnv_old1', 'front:cnv_old1', ?, ?, ?, ?, 1)`,
      ).run(highlight.version, JSON.stringify(highlight), now, now);
    }
    old.close();

    const r = await s.cli(['sync', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const db = new Database(s.work.db, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
    if (version >= 1) {
      expect(summary.window.since).toBe(new Date(cursor * 1000).toISOString());
      expect(s.receiver.accepted()[0]).toMatchObject({ id: 'front:cnv_old1', version: 'a'.repeat(64) });
    }
    console.log(`store-older-schema: v${version} -> v${MIGRATIONS.length}, sync exit ${r.code}${version >= 1 ? ', cursor and pending Highlight kept' : ''}`);
  });

  it('a state file from a newer front-import: refused with exit 2 naming both versions, by every command; left byte for byte', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 86 } }));
    expect((await s.cli(['backfill', '--since', SINCE])).code).toBe(0);
    const db = new Database(s.work.db);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const before = fingerprint(s.work.db);
    const message = new RegExp(`was written by a newer front-import \\(schema v${MIGRATIONS.length + 1}, this version knows v${MIGRATIONS.length}\\): upgrade front-import or use another --db`);
    for (const args of [['sync'], ['backfill', '--since', SINCE], ['status']]) expectStoreRefusal(await s.cli(args), s.work.db, message);
    expect(fingerprint(s.work.db)).toEqual(before);
    console.log(`store-newer-schema: v${MIGRATIONS.length + 1} refused by sync, backfill and status (exit 2), file unchanged`);
  });
});
