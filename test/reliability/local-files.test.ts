// Files on an unlucky operator's machine, through the real binary: an NDJSON file that fills the
// disk part way through a batch or was left with a cut line, one rotated away or deleted under a
// running listener, `--to` a pipe or a FIFO, a replay to a file killed (kill -9) partway, and state
// export/import meeting a full disk, a folder or a missing file. Nothing is marked delivered that
// did not reach the file; nothing half-written stays behind.

import { execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../src/commands/status/index.ts';
import { activeSince, closeAfterEach, deliveredIds, scenario, statusOf } from '../helpers/e2e.ts';
import { waitUntil } from '../helpers/reliability.ts';
import { appEvent, send, signedHeaders, SECRET } from '../listen/helpers.ts';

const DAY = 86_400_000;
const keep = closeAfterEach();

/** Every line of an NDJSON file parsed (a line that does not parse fails the test, naming it). */
function records(path: string): Array<{ id: string; version: string }> {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as { id: string; version: string };
      } catch {
        throw new Error(`line ${i + 1} of ${path} is not JSON: ${line.slice(0, 80)}`);
      }
    });
}

const ndjsonConfig = (path: string) => ['destination:', '  type: ndjson', `  path: ${path}`].join('\n');

describe('NDJSON files', () => {
  it('a full disk in the middle of a batch: exit 6, the file cut back to a whole line, nothing marked delivered; a cut line left before is repaired; with space again every Highlight lands once', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 231 } }));
    const out = join(s.work.dir, 'highlights.ndjson');
    // Earlier output fills the file to just under the limit (larger than anything the state file
    // and its log reach), and a crash left its last line cut.
    const earlier = '{"id":"front:cnv_earlier","version":"0"}\n'.repeat(200_000);
    const cut = '{"id":"front:cnv_cut","ver';
    writeFileSync(out, earlier + cut);
    const limit = Buffer.byteLength(earlier) + 6 * 1024;

    const full = await s.binary(['backfill', '--since', '8d', '--to', out], {}, { maxFileBytes: limit });
    expect(full.code, full.stderr).toBe(6);
    expect(full.stderr).toMatch(new RegExp(`cannot write to ${out}: (EFBIG|ENOSPC)`));
    expect(readFileSync(out, 'utf8')).toBe(earlier);
    const expected = activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`);
    const status = (await statusOf(s)).totals!;
    expect(status).toMatchObject({ delivered: 0, pending: expected.length });

    const again = await s.cli(['backfill', '--since', '8d', '--to', out]);
    expect(again.code, again.stderr).toBe(0);
    const written = records(out).slice(200_000).map((r) => r.id);
    expect(written.sort()).toEqual([...expected].sort());
    console.log(`ndjson-disk-full: exit ${full.code}, file cut back to ${Buffer.byteLength(earlier)} bytes, ${status.pending} pending; next run: ${written.length} lines, each once`);
  });

  it('listen follows its NDJSON file when it is rotated away (mv) or deleted: each line goes to the file at the path', async () => {
    const out = join('out', 'highlights.ndjson');
    const s = keep(await scenario({ sandbox: { conversations: 6, seed: 232 }, destination: null, config: [ndjsonConfig(out), 'listen:', '  port: 0'].join('\n') }));
    const path = join(s.work.dir, out);
    mkdirSync(join(s.work.dir, 'out'));
    const listener = s.spawn(['listen'], { FRONT_WEBHOOK_SECRET: SECRET });
    try {
      await waitUntil(() => /listening on http/.test(listener.output().stdout), 15_000, 'listen to start');
      const url = /listening on (http:\/\/\S+)/.exec(listener.output().stdout)![1]!;
      const [a, b, c] = s.sandbox.control.truth().conversations.filter((x) => x.status !== 'deleted' && x.status !== 'spam').map((x) => x.id);
      // Whole lines only: the file may be read in the middle of an append.
      const idsIn = (file: string) =>
        existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(0, -1).map((line) => (JSON.parse(line) as { id: string }).id) : [];
      const post = async (conversation: string) => {
        const event = appEvent(conversation);
        expect((await send(url, { headers: signedHeaders(event), body: event })).status).toBe(200);
      };

      await post(a!);
      await waitUntil(() => idsIn(path).includes(`front:${a}`), 20_000, 'the first line');
      renameSync(path, `${path}.1`);
      await post(b!);
      await waitUntil(() => idsIn(path).includes(`front:${b}`), 20_000, 'the line after the rotation at the path');
      rmSync(path);
      await post(c!);
      await waitUntil(() => idsIn(path).includes(`front:${c}`), 20_000, 'the line after the deletion at the path');

      expect(idsIn(`${path}.1`)).toEqual([`front:${a}`]);
      expect(idsIn(path)).toEqual([`front:${c}`]);
    } finally {
      listener.child.kill('SIGTERM');
      expect((await listener.done).code).toBe(0);
    }
  });

  it('--to /dev/stdout on a pipe and --to a FIFO: written as streams, exit 0, delivered once (the next run sends nothing again)', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 233 } }));
    const expected = activeSince(s.sandbox, Date.now() - 8 * DAY).map((c) => `front:${c.id}`).sort();
    const lineIds = (text: string) => text.split('\n').filter((l) => l.startsWith('{"id"')).map((l) => (JSON.parse(l) as { id: string }).id).sort();

    const piped = await s.binary(['backfill', '--since', '8d', '--to', '/dev/stdout']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(lineIds(piped.stdout)).toEqual(expected);
    const next = await s.binary(['sync', '--to', '/dev/stdout']);
    expect(next.code, next.stderr).toBe(0);
    expect(lineIds(next.stdout)).toEqual([]);

    const fifo = join(s.work.dir, 'highlights.fifo');
    execFileSync('mkfifo', [fifo]);
    let received = '';
    const reader = createReadStream(fifo, 'utf8');
    reader.on('data', (chunk) => (received += chunk));
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const viaFifo = await s.binary(['backfill', '--since', '8d', '--to', fifo]);
    expect(viaFifo.code, viaFifo.stderr).toBe(0);
    await closed;
    expect(lineIds(received)).toEqual(expected);
    expect((await s.cli(['status', '--json'])).code).toBe(0);
  });
});

describe('replay to a file, killed', () => {
  it('kill -9 partway through a replay of thousands of stored conversations: the next command works, replay again exits 0, and the file holds every stored Highlight, every line whole', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 236 } }));
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(0);
    // The backfill's Highlights (its receiver got every conversation in scope) and the state
    // again with thousands more conversations: copies of its first one under new ids.
    const inScope = deliveredIds(s);
    const small = join(s.work.dir, 'small.jsonl');
    expect((await s.cli(['state', 'export', small])).code).toBe(0);
    const copies = 4_000;
    const text = withMoreConversations(readFileSync(small, 'utf8'), copies);
    const firstRow = readFileSync(small, 'utf8').split('\n').find((line) => (JSON.parse(line) as { table?: string }).table === 'conversations')!;
    const copiedFrom = `front:${(JSON.parse(firstRow) as { row: { conversation_id: string } }).row.conversation_id}`;
    const expected = [...inScope, ...(inScope.includes(copiedFrom) ? Array.from({ length: copies }, (_, i) => `front:cnv_copy${i}`) : [])].sort();
    expect(expected.length).toBeGreaterThan(copies);
    const file = join(s.work.dir, 'state.jsonl');
    writeFileSync(file, text, { mode: 0o600 });
    const env = { FRONT_IMPORT_DB: join(s.work.dir, 'big.db') };
    expect((await s.cli(['state', 'import', file], env)).code).toBe(0);

    const out = join(s.work.dir, 'replayed.ndjson');
    const replaying = s.spawn(['replay', '--to', out], env);
    // Killed while the file has lines, in the middle of appending a batch where the watch catches
    // one (a cut line for the next replay to repair), else once about a quarter was written.
    await waitUntil(() => (existsSync(out) && statSync(out).size > 0) || replaying.child.exitCode !== null, 20_000, 'the replay writing');
    killMidLine(replaying.child, out, 1_000_000);
    const killed = await replaying.done;
    const written = readFileSync(out, 'utf8').split('\n').length - 1;
    expect(killed.signal, `the replay ended before the kill (${written} lines)`).toBe('SIGKILL');
    expect(written).toBeLessThan(expected.length);
    const cut = !readFileSync(out, 'utf8').endsWith('\n');

    const status = await s.cli(['status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as StatusDocument).runs[0]).toMatchObject({ command: 'replay', outcome: 'interrupted' });

    const again = await s.cli(['replay', '--to', out], env);
    expect(again.code, again.stderr).toBe(0);
    const lines = records(out);
    const byVersion = new Set(lines.map((r) => `${r.id}@${r.version}`));
    const ids = [...new Set(lines.map((r) => r.id))].sort();
    expect(ids).toEqual(expected);
    // One version of each (nothing changed in between): deduped by id+version, each Highlight once.
    expect(byVersion.size).toBe(expected.length);
    console.log(`replay-kill: killed after ${written} of ${expected.length} lines${cut ? ' and a cut one' : ''}; after the next replay ${lines.length} lines, ${byVersion.size} distinct`);
  });
});

describe('state export / import failures', () => {
  it('a full disk, a folder, a missing folder or file: exit 2 naming the path and why, and no temp copy of the state left behind', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 234 } }));
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(0);
    const dir = join(s.work.dir, 'exports');
    mkdirSync(dir);
    const leftovers = () => readdirSync(dir).filter((name) => name.includes('.tmp-'));
    const expectRefusal = (r: { code: number | null; stderr: string }, path: string, why: RegExp) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };

    const file = join(dir, 'state.jsonl');
    // Room for the state file's shared-memory index (32 KB), not for the export.
    const limit = 48 * 1024;
    expect((await s.cli(['state', 'export', file])).code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(limit);
    rmSync(file);
    expectRefusal(await s.binary(['state', 'export', file], {}, { maxFileBytes: limit }), file, /\((EFBIG|ENOSPC)\): the disk is full/);
    expect(leftovers()).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expectRefusal(await s.cli(['state', 'export', dir]), dir, /\(EISDIR\): it is a folder/);
    expect(leftovers()).toEqual([]);
    const nowhere = join(dir, 'missing', 'state.jsonl');
    expectRefusal(await s.cli(['state', 'export', nowhere]), nowhere, /\(ENOENT\): its folder does not exist/);

    expectRefusal(await s.cli(['state', 'import', join(dir, 'none.jsonl')]), join(dir, 'none.jsonl'), /\(ENOENT\): no such file/);
    expectRefusal(await s.cli(['state', 'import', dir]), dir, /\(EISDIR\): it is a folder/);
  });

  it('a SQLite import killed (kill -9) while it loads: the next command finds the state empty or whole, never half loaded, and the import then completes, the state back in WAL', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 30, seed: 235 } }));
    expect((await s.cli(['backfill', '--since', '8d'])).code).toBe(0);
    const small = join(s.work.dir, 'small.jsonl');
    expect((await s.cli(['state', 'export', small])).code).toBe(0);
    // A load that lasts long enough to be killed in: the export's conversations again under new ids.
    const file = join(s.work.dir, 'state.jsonl');
    writeFileSync(file, withMoreConversations(readFileSync(small, 'utf8'), 20_000), { mode: 0o600 });
    const whole = ((await statusOf(s)).totals?.conversations ?? 0) + 20_000;
    const target = join(s.work.dir, 'imported.db');
    const env = { FRONT_IMPORT_DB: target };
    const loading = s.spawn(['state', 'import', file], env);
    // The load runs with a rollback journal (store/transfer/sqlite-tables.ts), there while its
    // transaction is open. Killed in its commit, the journal is hot: the next command's look at the
    // file must roll it back (test/store/open.test.ts makes that case on purpose).
    await waitUntil(() => existsSync(`${target}-journal`) || loading.child.exitCode !== null, 30_000, 'the import loading');
    loading.child.kill('SIGKILL');
    await loading.done;
    const conversations = async () => {
      const status = await s.cli(['status', '--json'], env);
      expect(status.code, status.stderr).toBe(0);
      return (JSON.parse(status.stdout) as { totals: { conversations: number } }).totals.conversations;
    };
    const found = await conversations();
    expect([0, whole]).toContain(found);
    if (found === 0) {
      const again = await s.cli(['state', 'import', file], env);
      expect(again.code, again.stderr).toBe(0);
    }
    expect(await conversations()).toBe(whole);
    expect(existsSync(`${target}-journal`)).toBe(false);
    const db = new Database(target, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});

/**
 * SIGKILLs `child` the moment `path` ends in a cut line (an append under way), or once it holds
 * `maxBytes`. Watched in a tight synchronous loop: a batch's append is over too soon for a poll
 * every few milliseconds to catch it.
 */
function killMidLine(child: ChildProcess, path: string, maxBytes: number): void {
  const fd = openSync(path, 'r');
  const last = Buffer.alloc(1);
  try {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const size = fstatSync(fd).size;
      if (size >= maxBytes) break;
      if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) break;
    }
  } finally {
    closeSync(fd);
  }
  child.kill('SIGKILL');
}

/** An export file with `extra` more conversations: copies of its first conversation row under new ids. */
function withMoreConversations(text: string, extra: number): string {
  const rows = text.trimEnd().split('\n');
  const first = rows.findIndex((line) => (JSON.parse(line) as { table?: string }).table === 'conversations');
  const template = JSON.parse(rows[first]!) as { table: string; row: { conversation_id: string } };
  const copies = Array.from({ length: extra }, (_, i) => JSON.stringify({ ...template, row: { ...template.row, conversation_id: `cnv_copy${i}` } }));
  const trailer = JSON.parse(rows.at(-1)!) as { end: true; rows: number };
  return `${[...rows.slice(0, first), ...copies, ...rows.slice(first, -1), JSON.stringify({ ...trailer, rows: trailer.rows + extra })].join('\n')}\n`;
}
