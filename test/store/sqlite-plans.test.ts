// Statements run once per delivered, refused or retried item (or per queued webhook event) must find
// their row by an index: a table scan each made a 50,000-conversation backfill quadratic (minutes of
// CPU instead of seconds).

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { useTempDirs } from './helpers.ts';

const tempDir = useTempDirs();

// Each statement and the index search that finds one row: both columns, not the destination alone.
const PER_ITEM: Array<[string, RegExp]> = [
  ["UPDATE deliveries SET delivered_version = 'v' WHERE destination = 'd' AND id = 'front:cnv_1'", /\(destination=\? AND id=\?\)/],
  ["UPDATE deliveries SET refused_version = 'v' WHERE destination = 'd' AND id = 'front:cnv_1'", /\(destination=\? AND id=\?\)/],
  ["UPDATE deliveries SET attempts = attempts + 1 WHERE destination = 'd' AND id = 'front:cnv_1'", /\(destination=\? AND id=\?\)/],
  ["SELECT version FROM deliveries WHERE destination = 'd' AND conversation_id = 'cnv_1'", /\(destination=\? AND conversation_id=\?\)/],
  // A listener's claim looks, per queued event, for another replica's claim on its conversation.
  ["SELECT 1 FROM webhook_events WHERE conversation_id = 'cnv_1' AND processed_at IS NULL AND claimed_by <> 'me'", /\(conversation_id=\?\)/],
];

describe('SQLite query plans', () => {
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
