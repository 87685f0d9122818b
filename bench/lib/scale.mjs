// `npm run bench -- --scale[=N]`: a state of N conversations (default 1,000,000) with 4
// subscriptions' delivery rows, written straight into the store's tables (not through Front) in one
// transaction, then the commands a cron job and a person run on it, each beside a bare `node -e 0`
// started in the same run. SQLite only so far (see RESULTS.md for what is not measured yet).

import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../dist/store/sqlite/sqlite-store.js';
import { encodeHighlight } from '../../dist/store/stored-highlight.js';
import { workdir } from './child.mjs';
import { fixed, int, median } from './table.mjs';

const SUBSCRIPTIONS = 4;
const RUNS = 5;
/** Own words of a support email: a few sentences (real mail runs from one line to a page). */
const WORDS = 'the export to billing failed again this morning and our finance team cannot close the month can you check what changed on your side we did not touch the settings'.split(' ');

function text(n, length) {
  let s = '';
  for (let i = 0; s.length < length; i++) s += `${WORDS[(n * 7 + i) % WORDS.length]} `;
  return s.trim();
}

function conversation(n, at) {
  const id = `cnv_${n.toString(36).padStart(7, '0')}`;
  const body = text(n, 300 + (n % 7) * 100);
  const people = [
    { name: 'Customer ' + n, handle: `customer${n}@example.com`, side: 'customer', copied: false },
    { name: 'Agent ' + (n % 40), handle: `agent${n % 40}@company.example`, side: 'teammate', copied: false },
  ];
  const lastMessage = { id: `msg_${n.toString(36)}`, createdAt: at, text: body, rules: 2, inbound: true, author: { role: 'customer', name: people[0].name, handle: people[0].handle }, people };
  const h = {
    id: `front:${id}`, version: (n * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(8), schemaVersion: 2, source: 'front', conversationId: id,
    title: body.slice(0, 60), text: body, textTruncated: false, textAuthor: lastMessage.author,
    requester: { name: people[0].name, handle: people[0].handle }, assignee: { id: `tea_${n % 40}`, name: people[1].name, email: people[1].handle },
    participants: [{ name: people[0].name, handle: people[0].handle, role: 'requester' }, { name: people[1].name, handle: people[1].handle, role: 'teammate' }],
    status: 'archived', statusName: null, statusCategory: 'resolved', tags: ['billing'], labels: [],
    createdAt: new Date(at * 1000 - 86_400_000).toISOString(), updatedAt: new Date(at * 1000).toISOString(), lastMessageAt: new Date(at * 1000).toISOString(),
    sourceUrl: `https://app.frontapp.com/open/${id}`,
  };
  const facts = { frontStatus: 'archived', tags: [{ id: 'tag_1', name: 'billing' }], inboxes: [{ id: 'inb_1', name: 'Support' }] };
  return { id, h, lastMessage, facts };
}

/** Writes N conversations, each delivered to every destination, in one transaction. */
function buildSqlite(path, n, destinations) {
  openStore(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const began = Date.now();
  const insertConversation = db.prepare('INSERT INTO conversations (conversation_id, version, payload, facts, last_message, front_updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertDestination = db.prepare('INSERT INTO destinations (key) VALUES (?)');
  const insertDelivery = db.prepare('INSERT INTO deliveries (destination_id, conversation_id, version, state, at, pending_seq) VALUES (?, ?, ?, 1, ?, ?)');
  const base = 1_700_000_000;
  db.transaction(() => {
    const ids = destinations.map((key) => Number(insertDestination.run(key).lastInsertRowid));
    for (let i = 0; i < n; i++) {
      const at = base + i * 30;
      const c = conversation(i, at);
      insertConversation.run(c.id, c.h.version, encodeHighlight(c.h, c.lastMessage), JSON.stringify(c.facts), JSON.stringify(c.lastMessage), at);
      const when = new Date(at * 1000 + 5000).toISOString();
      for (const dest of ids) insertDelivery.run(dest, c.id, c.h.version, when, i + 1);
    }
  })();
  db.exec("INSERT INTO cursors (name, value, updated_at) SELECT 'sync@' || key, 1800000000, '2026-12-01T00:00:00.000Z' FROM destinations");
  db.close();
  return Date.now() - began;
}

const bytesOf = (path) => ['', '-wal'].reduce((sum, sfx) => { try { return sum + statSync(path + sfx).size; } catch { return sum; } }, 0);

export async function scaleRows(section, notes, n) {
  const rows = [];
  const row = (figure, value, goal, met) => rows.push({ section, figure, value, goal, met });
  const work = workdir({});
  try {
    const destinations = Array.from({ length: SUBSCRIPTIONS }, (_, i) => join(work.dir, `team-${i + 1}.ndjson`));
    const subs = destinations.map((path, i) => `  - name: team-${i + 1}\n    destination: {type: ndjson, path: ${path}}`);
    writeFileSync(join(work.dir, '.frontsyncrc'), `subscriptions:\n${subs.join('\n')}\n`);
    mkdirSync(join(work.dir, 'state'), { recursive: true });
    const db = work.env.FRONT_IMPORT_DB;
    const buildMs = buildSqlite(db, n, destinations);
    const bytes = bytesOf(db);
    row(`SQLite: build ${int(n)} conversations x ${SUBSCRIPTIONS} delivered subscriptions straight into the store (one transaction)`, `${fixed(buildMs / 1000, 1)} s`, 'a few minutes', buildMs < 300_000);
    row(`… bytes on disk per conversation (${fixed(bytes / 2 ** 20, 0)} MB; ${SUBSCRIPTIONS} destinations)`, `${int(bytes / n)} B`, `<= 2,500 + ${SUBSCRIPTIONS - 1} x 150 = ${int(2500 + (SUBSCRIPTIONS - 1) * 150)} B`, bytes / n <= 2500 + (SUBSCRIPTIONS - 1) * 150);
    const nodeStart = await bareNode(RUNS);
    for (const args of [['status'], ['status', '--json']]) {
      const { ms, rss } = await measured(work, args, RUNS);
      const goal = nodeStart * 1.5 + 100;
      row(`SQLite, ${int(n)} conversations: \`front-import ${args.join(' ')}\` (median of ${RUNS}; bare node -e 0 ${int(nodeStart)} ms; peak RSS ${fixed(rss, 0)} MB)`, `${int(ms)} ms`, `< 1.5 x node + 100 ms = ${int(goal)} ms`, ms < goal);
    }
    const replay = await work.run(['replay', '--subscription', 'team-1', '--json'], { measure: true });
    if (replay.code !== 0) notes.push(`scale replay exited ${replay.code}: ${replay.stderr.trim().slice(0, 300)}`);
    else {
      const perSecond = (n / replay.wallMs) * 1000;
      row(`SQLite, ${int(n)} conversations: \`replay\` of one subscription to NDJSON (${fixed(replay.wallMs / 1000, 1)} s wall; peak RSS ${fixed(replay.usage.maxRssKb / 1024, 0)} MB)`, `${int(perSecond)} Highlights/s`, '>= 20,000/s; RSS < 200 MB', perSecond >= 20_000 && replay.usage.maxRssKb < 200 * 1024);
    }
    const exported = await work.run(['state', 'export', join(work.dir, 'state.jsonl'), '--json'], { measure: true });
    if (exported.code !== 0) notes.push(`scale state export exited ${exported.code}: ${exported.stderr.trim().slice(0, 300)}`);
    else {
      const perSecond = (n / exported.wallMs) * 1000;
      row(`SQLite, ${int(n)} conversations: \`state export\` (${fixed(exported.wallMs / 1000, 1)} s; peak RSS ${fixed(exported.usage.maxRssKb / 1024, 0)} MB)`, `${int(perSecond)} conversations/s`, '>= 20,000/s; RSS < 200 MB', perSecond >= 20_000 && exported.usage.maxRssKb < 200 * 1024);
    }
    row(`SQLite, ${int(n)} conversations: bytes on disk after replay`, `${fixed(bytesOf(db) / 2 ** 20, 0)} MB`, '', undefined);
  } finally {
    work.remove();
  }
  return rows;
}

/** Median wall time of a bare `node -e 0`. */
async function bareNode(runs) {
  const { spawnSync } = await import('node:child_process');
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

async function measured(work, args, runs) {
  const times = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const result = await work.run(args, { measure: true });
    if (result.code !== 0) throw new Error(`front-import ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    times.push(result.wallMs);
    rss = Math.max(rss, result.usage.maxRssKb / 1024);
  }
  return { ms: median(times), rss };
}
