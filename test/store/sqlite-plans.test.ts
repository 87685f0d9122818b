// Every statement the SQLite store runs (status, sync, replay, listen: all of them are prepared when
// a store opens) must find its rows by an index where it touches the tables that grow with the
// state: a table scan per delivered item once made a 50,000-conversation backfill quadratic, and a
// count over the state made `status` grow with it.

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();

/** Tables with a row (or more) per conversation. */
const GROWING = ['conversations', 'deliveries'];

/** The SQL text of every statement the store prepares, in the order prepared. */
async function storeStatements(path: string): Promise<string[]> {
  const prepare = vi.spyOn(Database.prototype, 'prepare');
  try {
    const store = openStore(path);
    await store.close();
    return [...new Set(prepare.mock.calls.map(([sql]) => String(sql)))];
  } finally {
    prepare.mockRestore();
  }
}

/** Plan lines that read a growing table (or one of its indexes) from end to end: SQLite says SCAN, where an index search says SEARCH. */
function scans(db: Database.Database, sql: string): string[] {
  // Parameters bound to NULL: the plan depends on the statement, not on the values.
  const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name, null]));
  const positional = (sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).map(() => null);
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const plan = (Object.keys(named).length > 0 ? explain.all(named) : explain.all(...positional)) as Array<{ detail: string }>;
  return plan.map((p) => p.detail).filter((detail) => GROWING.some((table) => new RegExp(`^SCAN ${table}\\b`).test(detail)));
}

describe('SQLite query plans', () => {
  it('no statement the store runs scans conversations or deliveries', async () => {
    const path = join(tempDir(), 'state.db');
    const statements = (await storeStatements(path)).filter((sql) => GROWING.some((t) => sql.includes(t)));
    // The store's own statements on those tables: the pending list, settling, counters, replay pages...
    expect(statements.length).toBeGreaterThan(15);
    const db = new Database(path, { readonly: true });
    try {
      const scanning = statements.map((sql) => ({ sql: sql.replace(/\s+/g, ' '), scans: scans(db, sql) })).filter((s) => s.scans.length > 0);
      expect(scanning).toEqual([]);
    } finally {
      db.close();
    }
  });

  // Each statement and the index search that finds one row: both key columns, not the destination alone.
  const PER_ITEM: Array<[string, RegExp]> = [
    ["UPDATE deliveries SET state = 1 WHERE destination_id = 1 AND conversation_id = 'cnv_1' AND version = 'v'", /PRIMARY KEY \(destination_id=\? AND conversation_id=\?\)/],
    ["SELECT version FROM deliveries WHERE destination_id = 1 AND conversation_id = 'cnv_1'", /PRIMARY KEY \(destination_id=\? AND conversation_id=\?\)/],
    ['SELECT version FROM deliveries WHERE destination_id = 1 AND state = 0 ORDER BY pending_seq LIMIT 100', /deliveries_pending \(destination_id=\?\)/],
    // A listener's claim looks, per queued event, for another replica's claim on its conversation.
    ["SELECT 1 FROM webhook_events WHERE conversation_id = 'cnv_1' AND processed_at IS NULL AND claimed_by <> 'me'", /\(conversation_id=\?\)/],
  ];

  it.each(PER_ITEM)('%s finds its row by an index', async (statement, search) => {
    const path = join(tempDir(), 'state.db');
    await (await openStore(path)).close();
    const db = new Database(path, { readonly: true });
    try {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${statement}`).all() as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join('; ')).toMatch(search);
    } finally {
      db.close();
    }
  });
});
