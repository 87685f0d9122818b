// State redaction over each backend, in-process: personal data planted in every place a state keeps
// text (a stored conversation's Highlight and message, a delivered, a pending and a refused item,
// a destination no subscription names any more, an open batch, refusal and attempt errors, a staged
// event-stream message, a webhook's full event data, a run's error and arguments, the list of
// unreadable conversations, and for SQLite pages freed before secure_delete was on) is gone after
// one redaction: not in the SQLite file's bytes (with its WAL and shared-memory file), not in any
// text column PostgreSQL holds. Delivery states and cursors stay; each destination that had a
// conversation gets it once more, redacted; a redaction stopped half way resumes.

import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig, Subscription } from '../../src/config/types.ts';
import { redactStateAtRest, STATE_REDACTION_META } from '../../src/runs/state-redaction.ts';
import { parseStoreLocation, type StoreLocation } from '../../src/store/location.ts';
import { openPgConnection } from '../../src/store/pg/connection.ts';
import { openPgStore } from '../../src/store/pg/pg-store.ts';
import type { Store } from '../../src/store/roles.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freshPgDatabase } from '../helpers/pg-database.ts';
import { highlight, useTempDirs } from './helpers.ts';

const EMAIL = 'leela.turanga+ops@planet-express.example';
const PHONE = '+44 20 7946 0958';
const CARD = '4111 1111 1111 1111';
const IBAN = 'DE89 3704 0044 0532 0130 00';
const IP = '203.0.113.42';
const PLANTED = [EMAIL, PHONE, CARD, IBAN, IP];
const LINE = `Call ${PHONE} or write to ${EMAIL}; card ${CARD}, IBAN ${IBAN}, from ${IP}.`;

const CONFIGURED = 'https://next.example/v1/highlights';
const FORMER = 'https://former.example/v1/highlights';

const HIGHLIGHTS: ResolvedConfig['highlights'] = {
  maxTextLength: 500,
  textFrom: 'latest',
  redact: { kinds: ['email', 'phone', 'card', 'iban', 'ip'], patterns: [] },
  pseudonymize: true,
  piiKey: 'store-test-pii-key-0123456789',
};

const SUBSCRIPTION: Subscription = {
  name: 'default',
  implicit: true,
  destination: { type: 'http', url: CONFIGURED, token: null, batchSize: 50, timeoutMs: 1000, retries: 0, retryBaseMs: 10, signingSecret: null },
  scope: { inboxes: [], teams: [], tags: [], excludeTags: [], statuses: [], customFields: {} },
  routing: { labels: [] },
};

const CONFIG = { highlights: HIGHLIGHTS, subscriptions: [SUBSCRIPTION] };
const clock = () => Date.parse('2024-05-01T10:00:00Z');

interface Backend {
  name: string;
  /** The next open() is on a new, empty state. */
  fresh(): void;
  open(): Promise<Store>;
  /** Planted values found anywhere the state keeps bytes (SQLite) or text (PostgreSQL). */
  planted(): Promise<string[]>;
  /** Pages freed with old text in them, before secure_delete (SQLite only). */
  freeSomePages?(): void;
}

function backends(): Backend[] {
  const tempDir = useTempDirs();
  let path = '';
  let pg: Extract<StoreLocation, { kind: 'postgres' }> | null = null;
  return [
    {
      name: 'SQLite',
      fresh() {
        path = '';
      },
      async open() {
        path ||= join(tempDir(), 'state.db');
        return openStore(path, { clock });
      },
      async planted() {
        const bytes = ['', '-wal', '-shm'].map((suffix) => readBytes(path + suffix)).join('\n');
        return PLANTED.filter((v) => bytes.includes(v));
      },
      freeSomePages() {
        // What an older version left: rows deleted without secure_delete keep their text in free pages.
        const db = new Database(path);
        db.pragma('secure_delete = OFF');
        db.prepare("INSERT INTO meta (key, value) VALUES ('left-over', ?)").run(JSON.stringify(LINE.repeat(400)));
        db.prepare("DELETE FROM meta WHERE key = 'left-over'").run();
        db.close();
      },
    },
    {
      name: 'PostgreSQL',
      fresh() {
        pg = null;
      },
      async open() {
        pg ??= parseStoreLocation(await freshPgDatabase(), 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>;
        return openPgStore(pg, { clock });
      },
      async planted() {
        const { client } = await openPgConnection(pg!);
        try {
          // Every text column of every table, as a dump would read it.
          const { rows: columns } = await client.query<{ table_name: string; column_name: string }>(
            `SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = $1 AND data_type IN ('text', 'json', 'jsonb', 'ARRAY', 'character varying')`,
            [pg!.schema],
          );
          let all = '';
          for (const c of columns) {
            const { rows } = await client.query<{ v: string | null }>(`SELECT string_agg("${c.column_name}"::text, E'\\n') AS v FROM "${c.table_name}"`);
            all += rows[0]?.v ?? '';
          }
          expect(columns.length).toBeGreaterThan(20);
          // The planner's live statistics (sample values of text columns, which an autovacuum may
          // have taken from the old rows at any moment).
          const stats = await client.query<{ v: string | null }>("SELECT string_agg(concat_ws(' ', most_common_vals::text, histogram_bounds::text), E'\\n') AS v FROM pg_stats WHERE schemaname = $1", [pg!.schema]);
          all += stats.rows[0]?.v ?? '';
          // And the tables' own files, once what is in memory is written out: old row versions too.
          // (User relations only, file numbers from 16384: a catalog such as pg_statistic keeps a
          // replaced row's old version until it is vacuumed itself; the README says so.)
          await client.query('CHECKPOINT');
          const dir = (await client.query<{ dir: string }>("SELECT current_setting('data_directory') || '/base/' || oid AS dir FROM pg_database WHERE datname = current_database()")).rows[0]!.dir;
          all += readdirSync(dir).filter((file) => Number.parseInt(file, 10) >= 16384).map((file) => readBytes(join(dir, file))).join('\n');
          return PLANTED.filter((v) => all.includes(v));
        } finally {
          await client.end();
        }
      },
    },
  ];
}

function readBytes(file: string): string {
  try {
    return readFileSync(file).toString('utf8');
  } catch {
    return '';
  }
}

/** A conversation with the line in its text, title, requester and stored message, for both destinations. */
function plantedItem(n: number) {
  const h = highlight(n, `v${n}`, { title: `Card ${CARD}`, text: LINE, requester: { name: 'Leela', handle: EMAIL }, participants: [{ name: 'Leela', handle: EMAIL, role: 'requester' }] });
  return {
    highlight: h,
    facts: { frontStatus: 'unassigned', tags: [], inboxes: [] },
    deliveries: [CONFIGURED, FORMER].map((destination) => ({ destination, highlight: h })),
    lastMessageId: `msg_${n}`,
    frontUpdatedAt: 1_700_000_000 + n,
    lastMessage: { id: `msg_${n}`, createdAt: 1_700_000_000, text: LINE, author: { role: 'customer' as const, name: 'Leela', handle: EMAIL } },
  };
}

async function plant(store: Store): Promise<void> {
  const items = [1, 2, 3, 4].map(plantedItem);
  await store.persistPages({
    runKey: 'sync:abc',
    messages: [{ conversationId: 'cnv_9', inbox: null, message: { id: 'msg_9', body: `<p>${LINE}</p>`, text: LINE, recipients: [{ handle: EMAIL, role: 'from' }] } as never }],
    items,
    imported: [],
    checkpoint: { position: 1 },
  });
  const configured = store.outbox(CONFIGURED);
  // 1 delivered, 2 refused (with the receiver echoing the text), 3 in an open batch, 4 pending after a failed attempt.
  await configured.saveBatch({ key: 'k1', highlights: [items[0]!.highlight] });
  await configured.batchAccepted('k1', [{ id: 'front:cnv_1', version: 'v1' }]);
  await configured.saveBatch({ key: 'k2', highlights: [items[1]!.highlight] });
  await configured.batchRefused('k2', { id: 'front:cnv_2', version: 'v2' }, `422: invalid text "${LINE}"`);
  await configured.saveBatch({ key: 'k3', highlights: [items[2]!.highlight] });
  await configured.recordAttempt(['front:cnv_4'], `500: could not store ${EMAIL}`);
  await store.outbox(FORMER).batchRefused('none', { id: 'front:cnv_1', version: 'v1' }, `422: ${IBAN} refused`);
  await store.enqueueWebhookEvent({
    eventId: 'evt_1',
    type: 'inbound',
    conversationId: 'cnv_1',
    emittedAt: 1_700_000_100,
    full: { conversation: { id: 'cnv_1', subject: `About ${CARD}`, recipient: { handle: EMAIL, role: 'from' } } as never, message: { id: 'msg_w', body: `<p>${LINE}</p>` } as never },
  });
  await store.recordWebhookFailure(['evt_1'], `could not read ${EMAIL}`);
  const run = await store.startRun('sync', { note: `from ${EMAIL}` });
  await store.finishRun(run, { outcome: 'failed', exitCode: 6, error: `DeliveryError: refused ${PHONE}`, counts: {}, requests: {} });
  await store.setMeta('poisonedConversations', [{ id: 'cnv_5', firstSeen: 'x', lastTried: 'x', attempts: 1, error: `404 for ${EMAIL}` }]);
  await store.commitRun({ clearCheckpoints: [], cursors: [{ name: `sync@${CONFIGURED}`, value: 1_700_000_000 }] });
}

describe.each(backends())('state redaction on $name', (backend) => {
  it('leaves no planted value anywhere in the state, keeps cursors and delivery states, and queues each held Highlight once', async () => {
    backend.fresh();
    let store = await backend.open();
    await plant(store);
    await store.close();
    backend.freeSomePages?.();
    expect((await backend.planted()).sort()).toEqual([...PLANTED].sort());

    store = await backend.open();
    try {
      const before = await store.outbox(CONFIGURED).totals();
      const report = await redactStateAtRest(store, CONFIG, { clock });
      expect(report).toMatchObject({ conversations: 4, requeued: 4, resumed: false, scrub: { done: true } });
      // The former destination's items were rewritten in place, the open batch dropped
      // (the configured destination's errors went with the re-queue).
      expect(report!.rows).toEqual({ outboxPayloads: 4, openBatches: 1, deliveryErrors: 1, stagedMessages: 1, webhookEvents: 1, webhookErrors: 1, runErrors: 1, runArgs: 1 });

      const after = await store.outbox(CONFIGURED).totals();
      expect(before).toMatchObject({ delivered: 1, refused: 1, pending: 2 });
      // Each Highlight the destination has or had is queued once more, redacted (the refused one too: a new version).
      expect(after).toMatchObject({ delivered: 0, refused: 0, pending: 4 });
      const pending = await store.outbox(CONFIGURED).pending(10);
      expect(pending.map((h) => h.id).sort()).toEqual(['front:cnv_1', 'front:cnv_2', 'front:cnv_3', 'front:cnv_4']);
      for (const h of pending) {
        expect(h.text).toBe('Call [phone] or write to [email]; card [card], IBAN [iban], from [ip].');
        expect(h.requester?.handle).toMatch(/^anon-[0-9a-f]{16}$/);
      }
      expect(await store.outbox(FORMER).totals()).toMatchObject({ refused: 1 });
      expect((await store.getCursor(`sync@${CONFIGURED}`))?.value).toBe(1_700_000_000);
      expect(await store.getMeta(STATE_REDACTION_META)).toMatchObject({ scrubbed: true });

      // Done once: the next run has nothing to do.
      expect(await redactStateAtRest(store, CONFIG, { clock })).toBeNull();
    } finally {
      await store.close();
    }
    expect(await backend.planted()).toEqual([]);
  });

  it('resumes a redaction stopped between batches, and re-queues nothing twice', async () => {
    backend.fresh();
    let store = await backend.open();
    await plant(store);
    const controller = new AbortController();
    const persist = store.persistPages.bind(store);
    // Stopped right after the conversations' batch was written, as a kill there would.
    store.persistPages = async (write) => {
      const out = await persist(write);
      controller.abort(new Error('killed'));
      return out;
    };
    await expect(redactStateAtRest(store, CONFIG, { clock, signal: controller.signal })).rejects.toThrow('killed');
    await store.close();

    store = await backend.open();
    try {
      const report = await redactStateAtRest(store, CONFIG, { clock });
      expect(report).toMatchObject({ resumed: true, conversations: 0, scrub: { done: true } });
      expect(await store.outbox(CONFIGURED).totals()).toMatchObject({ pending: 4, delivered: 0 });
    } finally {
      await store.close();
    }
    expect(await backend.planted()).toEqual([]);
  });
});

describe('state redaction on PostgreSQL beside an older transaction', () => {
  it('waits for it; one still open in another database is named, the free space is left for the next run, which finishes it', async () => {
    const location = parseStoreLocation(await freshPgDatabase(), 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>;
    const other = parseStoreLocation(await freshPgDatabase(), 'test', (p) => p) as Extract<StoreLocation, { kind: 'postgres' }>;
    let store = await openPgStore(location, { clock });
    await plant(store);
    const { client: holder } = await openPgConnection(other);
    await holder.query("SET application_name = 'old-report'");
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    try {
      const report = await redactStateAtRest(store, CONFIG, { clock });
      expect(report?.scrub.done).toBe(false);
      // Every session open since before the rewrite is named (other test files' too, on a shared server).
      expect(report?.scrub.detail).toMatch(/sessions open since before it \(.*old-report pid \d+ in t_\w+.*\) held snapshots.*the next run tries again/);
      expect(await store.getMeta(STATE_REDACTION_META)).toMatchObject({ scrubbed: false });
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    await store.close();
    store = await openPgStore(location, { clock });
    try {
      expect(await redactStateAtRest(store, CONFIG, { clock })).toMatchObject({ scrub: { done: true } });
      expect(await store.getMeta(STATE_REDACTION_META)).toMatchObject({ scrubbed: true });
    } finally {
      await store.close();
    }
  });
});
