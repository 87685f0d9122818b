// `npm run bench -- --scale[=N]`: a state of N conversations (default 1,000,000) with 4
// subscriptions' delivery rows, written straight into the store's tables (not through Front) in one
// transaction, then the commands a cron job and a person run on it, each beside a bare `node -e 0`
// started in the same run. SQLite only so far (see RESULTS.md for what is not measured yet).

import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../dist/store/sqlite/sqlite-store.js';
import { encodeHighlight } from '../../dist/store/stored-highlight.js';
import { SCHEMA_VERSION } from '../../dist/highlight/types.js';
import { startSandbox } from '../../dist/sandbox/index.js';
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
    { name: `Customer ${n}`, handle: `customer${n}@example.com`, side: 'customer', copied: false },
    { name: `Agent ${n % 40}`, handle: `agent${n % 40}@company.example`, side: 'teammate', copied: false },
  ];
  const lastMessage = { id: `msg_${n.toString(36)}`, createdAt: at, text: body, rules: 2, inbound: true, author: { role: 'customer', name: people[0].name, handle: people[0].handle }, people };
  const h = {
    id: `front:${id}`, version: (n * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(8), schemaVersion: SCHEMA_VERSION, source: 'front', conversationId: id,
    title: body.slice(0, 60), text: body, textTruncated: false, textAuthor: lastMessage.author,
    requester: { name: people[0].name, handle: people[0].handle }, assignee: { id: `tea_${n % 40}`, name: people[1].name, email: people[1].handle },
    participants: [{ name: people[0].name, handle: people[0].handle, role: 'requester' }, { name: people[1].name, handle: people[1].handle, role: 'teammate' }],
    status: 'archived', statusName: null, statusCategory: 'resolved', tags: ['billing'], labels: [],
    customFields: {}, ticketIds: [], links: [], team: [], language: 'en',
    createdAt: new Date(at * 1000 - 86_400_000).toISOString(), updatedAt: new Date(at * 1000).toISOString(), lastMessageAt: new Date(at * 1000).toISOString(),
    sourceUrl: `https://app.frontapp.com/open/${id}`,
  };
  const facts = { frontStatus: 'archived', tags: [{ id: 'tag_1', name: 'billing' }], inboxes: [{ id: 'inb_1', name: 'Support' }] };
  return { id, h, lastMessage, facts };
}

/**
 * The row's payload. A Highlight the stored form cannot give back byte for byte is kept whole (see
 * store/stored-highlight.ts), which would measure a state no run writes: the synthetic Highlight must
 * be exactly what the mapper makes (this schema's keys, in its order), so a whole one stops the bench.
 */
function payloadOf(c) {
  const payload = encodeHighlight(c.h, c.lastMessage);
  if (JSON.parse(payload).id !== undefined) throw new Error('bench: the synthetic Highlight is stored whole: update conversation() in bench/lib/scale.mjs to the current Highlight schema');
  return payload;
}

/** Writes N conversations, each delivered to every destination, in one transaction. */
export function buildSqlite(path, n, destinations) {
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
      insertConversation.run(c.id, c.h.version, payloadOf(c), JSON.stringify(c.facts), JSON.stringify(c.lastMessage), at);
      const when = new Date(at * 1000 + 5000).toISOString();
      for (const dest of ids) insertDelivery.run(dest, c.id, c.h.version, when, i + 1);
    }
  })();
  db.prepare("INSERT INTO cursors (name, value, updated_at) SELECT 'sync@' || key, ?, ? FROM destinations").run(...cursorNow());
  db.close();
  return Date.now() - began;
}

/** Writes the same state into PostgreSQL: multi-row INSERTs (unnest of arrays), chunk by chunk, in one transaction. */
async function buildPg(url, n, destinations) {
  const { openPgStore } = await import('../../dist/store/pg/pg-store.js');
  const { parseStoreLocation } = await import('../../dist/store/location.js');
  const location = parseStoreLocation(url, 'bench', (p) => p);
  await (await openPgStore(location)).close();
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.split('?')[0] });
  await client.connect();
  await client.query(`SET search_path = ${location.schema}`);
  const began = Date.now();
  try {
    await client.query('BEGIN');
    const ids = [];
    for (const key of destinations) ids.push((await client.query('INSERT INTO destinations (key) VALUES ($1) RETURNING id', [key])).rows[0].id);
    const base = 1_700_000_000;
    const CHUNK = 5000;
    for (let from = 0; from < n; from += CHUNK) {
      const c = { id: [], version: [], payload: [], facts: [], last: [], at: [] };
      const d = { dest: [], id: [], version: [], at: [], seq: [] };
      for (let i = from; i < Math.min(n, from + CHUNK); i++) {
        const at = base + i * 30;
        const x = conversation(i, at);
        c.id.push(x.id);
        c.version.push(x.h.version);
        c.payload.push(payloadOf(x));
        c.facts.push(JSON.stringify(x.facts));
        c.last.push(JSON.stringify(x.lastMessage));
        c.at.push(at);
        const when = new Date(at * 1000 + 5000).toISOString();
        for (const dest of ids) {
          d.dest.push(dest);
          d.id.push(x.id);
          d.version.push(x.h.version);
          d.at.push(when);
          d.seq.push(i + 1);
        }
      }
      await client.query(
        `INSERT INTO conversations (conversation_id, version, payload, facts, last_message, front_updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[])`,
        [c.id, c.version, c.payload, c.facts, c.last, c.at],
      );
      await client.query(
        `INSERT INTO deliveries (destination_id, conversation_id, version, state, at, pending_seq)
         SELECT dest, id, version, 1, at, seq FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS x(dest, id, version, at, seq)`,
        [d.dest, d.id, d.version, d.at, d.seq],
      );
    }
    await client.query(`SELECT setval('deliveries_pending_seq', $1)`, [n + 1]);
    await client.query("INSERT INTO cursors (name, value, updated_at) SELECT 'sync@' || key, $1, $2 FROM destinations", cursorNow());
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE');
    // The state's own tables with their indexes and TOAST, without the catalogs every database has.
    const size = await client.query(
      `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [location.schema],
    );
    return { ms: Date.now() - began, bytes: Number(size.rows[0].bytes) };
  } finally {
    await client.end();
  }
}

/** Every subscription's sync cursor at the moment the state is built: a sync finds nothing new. */
const cursorNow = () => [Date.now() / 1000 - 1, new Date().toISOString()];

const bytesOf = (path) => ['', '-wal'].reduce((sum, sfx) => { try { return sum + statSync(path + sfx).size; } catch { return sum; } }, 0);

/** Rows of section `section` for an N-conversation state in SQLite and in PostgreSQL. */
export async function scaleRows(section, notes, n) {
  const rows = [];
  const nodeStart = await bareNode(RUNS);
  notes.push(`scale: a bare \`node -e 0\` took ${int(nodeStart)} ms (median of ${RUNS}) in this run; the machine's load shows in every wall time`);
  rows.push(...(await backendRows(section, notes, n, 'SQLite', nodeStart, null)));
  const { startPgServer } = await import('../../test/helpers/pg-server.mjs');
  const server = await startPgServer();
  try {
    rows.push(...(await backendRows(section, notes, n, 'PostgreSQL', nodeStart, server)));
  } finally {
    await server.stop();
  }
  return rows;
}

async function backendRows(section, notes, n, backend, nodeStart, server) {
  const rows = [];
  const row = (figure, value, goal, met) => rows.push({ section, figure: `${backend}, ${int(n)} conversations: ${figure}`, value, goal, met });
  const pgUrl = server ? await server.createDatabase() : null;
  const work = workdir({ env: pgUrl ? { FRONT_IMPORT_DB: undefined, FRONT_IMPORT_STATE_URL: pgUrl } : {} });
  try {
    const destinations = Array.from({ length: SUBSCRIPTIONS }, (_, i) => join(work.dir, `team-${i + 1}.ndjson`));
    const subs = destinations.map((path, i) => `  - name: team-${i + 1}\n    destination: {type: ndjson, path: ${path}}`);
    writeFileSync(join(work.dir, '.frontsyncrc'), `subscriptions:\n${subs.join('\n')}\n`);
    mkdirSync(join(work.dir, 'state'), { recursive: true });
    const db = work.env.FRONT_IMPORT_DB;
    const built = pgUrl ? await buildPg(pgUrl, n, destinations) : { ms: buildSqlite(db, n, destinations), bytes: bytesOf(db) };
    row(`build with ${SUBSCRIPTIONS} delivered subscriptions straight into the store (one transaction)`, `${fixed(built.ms / 1000, 1)} s`, 'a few minutes', built.ms < 300_000);
    row(
      `bytes on disk per conversation (${fixed(built.bytes / 2 ** 20, 0)} MB, ${SUBSCRIPTIONS} destinations${pgUrl ? ', tables with their indexes' : ''})`,
      `${int(built.bytes / n)} B`,
      `<= 2,500 + ${SUBSCRIPTIONS - 1} x 150 = ${int(2500 + (SUBSCRIPTIONS - 1) * 150)} B`,
      built.bytes / n <= 2500 + (SUBSCRIPTIONS - 1) * 150,
    );
    for (const args of [['status'], ['status', '--json']]) {
      const { ms, rss, cpuMs } = await measured(work, args, RUNS);
      const goal = nodeStart * 1.5 + 100;
      row(`\`front-import ${args.join(' ')}\` (median of ${RUNS}, wall; CPU ${int(cpuMs)} ms; peak RSS ${fixed(rss, 0)} MB)`, `${int(ms)} ms`, `< 1.5 x node (${int(nodeStart)} ms) + 100 ms = ${int(goal)} ms`, ms < goal);
    }
    await idleSync(work, row, notes, backend, destinations, pgUrl ? { FRONT_IMPORT_STATE_URL: await server.createDatabase() } : null);
    /** A command run once; `rate` per second of wall time against its goal. */
    const once = async (what, w, args, unit) => {
      const result = await w.run(args, { measure: true });
      if (result.code !== 0) {
        notes.push(`scale (${backend}): ${what} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
        return;
      }
      const perSecond = (n / result.wallMs) * 1000;
      const rss = result.usage.maxRssKb / 1024;
      row(
        `\`${what}\` (${fixed(result.wallMs / 1000, 1)} s wall, ${fixed(result.usage.cpuMs / 1000, 1)} s CPU = ${int((n / result.usage.cpuMs) * 1000)} ${unit} per CPU second; peak RSS ${fixed(rss, 0)} MB)`,
        `${int(perSecond)} ${unit}/s`,
        '>= 20,000/s; RSS < 200 MB',
        perSecond >= 20_000 && rss < 200,
      );
    };
    const file = join(work.dir, 'state.jsonl');
    await once('state export', work, ['state', 'export', file, '--json'], 'conversations');
    const target = pgUrl ? { FRONT_IMPORT_STATE_URL: await server.createDatabase() } : { FRONT_IMPORT_DB: join(work.dir, 'state', 'imported.db') };
    const importing = workdir({ env: { ...work.env, ...target } });
    try {
      await once('state import', importing, ['state', 'import', file, '--json'], 'conversations');
    } finally {
      importing.remove();
    }
    await once('replay --subscription team-1 (to NDJSON)', work, ['replay', '--subscription', 'team-1', '--json'], 'Highlights');
    if (!pgUrl) row('bytes on disk after the replay', `${fixed(bytesOf(db) / 2 ** 20, 0)} MB`, '', undefined);
  } finally {
    work.remove();
  }
  return rows;
}

/**
 * `sync` with nothing new at Front, on this state and on a state holding only the same cursors:
 * the same Front requests, and the wall time of a cron run.
 */
async function idleSync(work, row, notes, backend, destinations, smallPgEnv) {
  const sandbox = await startSandbox({ seed: 'bench-scale', conversations: 50, days: 7, inboxes: 2, rateLimit: false });
  const small = workdir({ env: { ...work.env, ...(smallPgEnv ?? { FRONT_IMPORT_DB: join(work.dir, 'state', 'small.db') }) } });
  try {
    const front = `front:\n  url: ${sandbox.url}\n  retryBaseMs: 50\n`;
    const subs = destinations.map((path, i) => `  - name: team-${i + 1}\n    destination: {type: ndjson, path: ${path}}`).join('\n');
    for (const w of [work, small]) writeFileSync(join(w.dir, '.frontsyncrc'), `${front}subscriptions:\n${subs}\n`);
    // Paced as a cron sync is: its three requests fit in the start credit (front/pacer.ts).
    const env = { FRONT_API_TOKEN: sandbox.tokens.full };
    const syncOn = async (w) => {
      sandbox.control.clearRequestLog();
      const result = await runWith(w, ['sync', '--json'], env);
      if (result.code !== 0) throw new Error(`sync (${backend}) exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
      return { result, requests: sandbox.control.requestLog().length };
    };
    // The small state: its cursors as the big one has them (an empty state would start a backfill window).
    await seedCursors(small, destinations, smallPgEnv !== null);
    const big = await syncOn(work);
    const base = await syncOn(small);
    row(
      `idle \`sync\` against the sandbox (${big.requests} Front requests, ${base.requests} on a state holding only the cursors; ${fixed(big.result.usage.cpuMs / 1000, 2)} s CPU; peak RSS ${fixed(big.result.usage.maxRssKb / 1024, 0)} MB; on the small state ${int(base.result.wallMs)} ms wall, ${fixed(base.result.usage.cpuMs / 1000, 2)} s CPU)`,
      `${int(big.result.wallMs)} ms`,
      '< 1 s wall, Front requests unchanged',
      big.result.wallMs < 1000 && big.requests === base.requests,
    );
  } catch (err) {
    notes.push(`scale (${backend}): idle sync not measured: ${String(err).slice(0, 300)}`);
  } finally {
    small.remove();
    await sandbox.close();
  }
}

async function runWith(w, args, env) {
  const saved = { ...w.env };
  Object.assign(w.env, env);
  try {
    return await w.run(args, { measure: true });
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete w.env[key];
    Object.assign(w.env, saved);
  }
}

async function seedCursors(w, destinations, postgres) {
  const [value] = cursorNow();
  if (postgres) {
    const { openPgStore } = await import('../../dist/store/pg/pg-store.js');
    const { parseStoreLocation } = await import('../../dist/store/location.js');
    const store = await openPgStore(parseStoreLocation(w.env.FRONT_IMPORT_STATE_URL, 'bench', (p) => p));
    try {
      await store.commitRun({ clearCheckpoints: [], cursors: destinations.map((d) => ({ name: `sync@${d}`, value })) });
    } finally {
      await store.close();
    }
    return;
  }
  const store = openStore(w.env.FRONT_IMPORT_DB);
  try {
    await store.commitRun({ clearCheckpoints: [], cursors: destinations.map((d) => ({ name: `sync@${d}`, value })) });
  } finally {
    await store.close();
  }
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
  const cpu = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const result = await work.run(args, { measure: true });
    if (result.code !== 0) throw new Error(`front-import ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    times.push(result.wallMs);
    cpu.push(result.usage.cpuMs);
    rss = Math.max(rss, result.usage.maxRssKb / 1024);
  }
  return { ms: median(times), cpuMs: median(cpu), rss };
}
