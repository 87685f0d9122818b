// `node bench/lib/state-shares.mjs STATE.db`: where a SQLite state's bytes go, per table and index
// (dbstat) and per column of the conversation and delivery rows (average stored bytes per row and
// share), to decide what a row needs to keep (issue 22: bench/RESULTS.md "State size").

import Database from 'better-sqlite3';

const path = process.argv[2];
if (!path) throw new Error('usage: node bench/lib/state-shares.mjs STATE.db');
const db = new Database(path, { readonly: true });
try {
  const pages = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name HAVING bytes > 4096 ORDER BY bytes DESC').all();
  console.log(`file: ${db.pragma('page_count', { simple: true }) * db.pragma('page_size', { simple: true })} bytes`);
  for (const { name, bytes } of pages) console.log(`  ${name.padEnd(36)} ${String(bytes).padStart(12)} bytes`);
  for (const table of ['conversations', 'deliveries', 'outbox_payloads']) {
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table);
    if (columns.length === 0) continue;
    const rows = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    const sums = columns.map((c) => [c, db.prepare(`SELECT coalesce(sum(length(CAST(${c} AS BLOB))), 0) FROM ${table}`).pluck().get()]);
    const total = sums.reduce((n, [, b]) => n + b, 0) || 1;
    console.log(`${table}: ${rows} rows; stored bytes per row by column`);
    for (const [c, b] of sums) console.log(`  ${c.padEnd(18)} ${(b / Math.max(rows, 1)).toFixed(0).padStart(6)} B/row ${((b / total) * 100).toFixed(1).padStart(5)}%`);
  }
} finally {
  db.close();
}
