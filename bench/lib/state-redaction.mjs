// State redaction (issue 21, data at rest): what `secure_delete` costs the state's ordinary work,
// and how fast the first run with redaction on rewrites a state filled with it off. In-process over
// the built store: N conversations with a planted PII line are stored and queued for one
// destination, then delivered (each payload deleted: where secure_delete writes zeros), with
// secure_delete on (as shipped) and off (the pragma left out, for comparison only); then the state
// redaction of that state, its rewrite and its VACUUM timed apart.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { redactStateAtRest } from '../../dist/runs/state-redaction.js';
import { openStore } from '../../dist/store/sqlite/sqlite-store.js';
import { fixed, int, median } from './table.mjs';

const CONVERSATIONS = 2000;
const RUNS = 3;
const DESTINATION = 'https://next.example/v1/highlights';
const LINE = 'Reference ORD-2024-00012345: reach me at jane.doe+billing@example.com or +44 20 7946 0958, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00.';
const FILLER = 'The export to CSV stops at 10,000 rows since the upgrade to v2.14.1 and the support article does not say why. '.repeat(4);

function item(n) {
  const id = `cnv_${String(n).padStart(7, '0')}`;
  const text = `${LINE}\n\n${FILLER}`;
  const h = {
    id: `front:${id}`,
    version: `v${n}`,
    schemaVersion: 3,
    source: 'front',
    conversationId: id,
    title: `Export stops at 10,000 rows (${n})`,
    text,
    textTruncated: false,
    textAuthor: { role: 'customer', name: 'Jane Doe', handle: 'jane.doe@example.com' },
    requester: { name: 'Jane Doe', handle: 'jane.doe@example.com' },
    assignee: null,
    participants: [{ name: 'Jane Doe', handle: 'jane.doe@example.com', role: 'requester' }],
    status: 'open',
    statusName: null,
    statusCategory: 'open',
    tags: ['bug'],
    labels: [],
    customFields: { Plan: 'Enterprise' },
    ticketIds: [],
    links: [],
    team: [],
    language: 'en',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
    lastMessageAt: '2024-01-02T00:00:00.000Z',
    sourceUrl: `https://app.frontapp.com/open/${id}`,
  };
  const lastMessage = { id: `msg_${n}`, createdAt: 1_704_153_600, text, rules: 1, inbound: true, author: h.textAuthor, people: [] };
  return { highlight: h, facts: { frontStatus: 'unassigned', tags: [{ id: 'tag_1', name: 'bug' }], inboxes: [] }, deliveries: [{ destination: DESTINATION, highlight: h }], lastMessageId: lastMessage.id, frontUpdatedAt: 1_704_153_600 + n, lastMessage };
}

/** Stores the conversations page by page and delivers them batch by batch; returns wall and CPU ms. */
async function fillAndDeliver(store) {
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let at = 0; at < CONVERSATIONS; at += 100) {
    const items = Array.from({ length: Math.min(100, CONVERSATIONS - at) }, (_, i) => item(at + i));
    await store.persistPages({ runKey: 'bench', messages: [], items, imported: [], checkpoint: { at } });
  }
  const outbox = store.outbox(DESTINATION);
  for (let batch = 0; ; batch++) {
    const pending = await outbox.pending(50);
    if (pending.length === 0) break;
    await outbox.saveBatch({ key: `k${batch}`, highlights: pending });
    await outbox.batchAccepted(`k${batch}`, pending.map((h) => ({ id: h.id, version: h.version })));
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: Number(process.hrtime.bigint() - started) / 1e6, cpu: (cpu.user + cpu.system) / 1000 };
}

/** secure_delete left out of the state connection, for the comparison only. */
function withoutSecureDelete(fn) {
  const pragma = Database.prototype.pragma;
  Database.prototype.pragma = function (source, options) {
    return /^secure_delete/.test(source) ? undefined : pragma.call(this, source, options);
  };
  return fn().finally(() => {
    Database.prototype.pragma = pragma;
  });
}

export async function stateRedactionRows(section) {
  const dirs = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'fi-bench-redact-'));
    dirs.push(dir);
    return join(dir, 'state.db');
  };
  try {
    const ms = { on: [], off: [] };
    for (let r = 0; r < RUNS; r++) {
      for (const mode of ['off', 'on']) {
        const work = async () => {
          const store = openStore(fresh());
          try {
            ms[mode].push(await fillAndDeliver(store));
          } finally {
            await store.close();
          }
        };
        await (mode === 'off' ? withoutSecureDelete(work) : work());
      }
    }
    const on = median(ms.on.map((m) => m.wall));
    const off = median(ms.off.map((m) => m.wall));
    const onCpu = median(ms.on.map((m) => m.cpu));
    const offCpu = median(ms.off.map((m) => m.cpu));
    const pct = (a, b) => `${a >= b ? '+' : ''}${fixed((100 * (a - b)) / b, 0)}%`;

    // A state filled with redaction off, then redacted.
    const path = fresh();
    let store = openStore(path);
    await fillAndDeliver(store);
    await store.close();
    const size = statSync(path).size;
    store = openStore(path);
    const config = {
      highlights: { maxTextLength: 1000, textFrom: 'latest', redact: { kinds: ['email', 'phone', 'card', 'iban', 'ip'], patterns: [] }, pseudonymize: true, piiKey: 'bench-pii-key-0123456789abcdef' },
      subscriptions: [{ name: 'default', implicit: true, destination: { type: 'http', url: DESTINATION, token: null, batchSize: 50, timeoutMs: 1000, retries: 0, retryBaseMs: 10, signingSecret: null }, scope: { inboxes: [], teams: [], tags: [], excludeTags: [], statuses: [], customFields: {} }, routing: { labels: [] } }],
    };
    const scrub = store.scrubFreeSpace.bind(store);
    let scrubMs = 0;
    store.scrubFreeSpace = async () => {
      const t = process.hrtime.bigint();
      const out = await scrub();
      scrubMs = Number(process.hrtime.bigint() - t) / 1e6;
      return out;
    };
    const started = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const report = await redactStateAtRest(store, config, { clock: Date.now });
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    await store.close();
    const per1k = (x) => (x / CONVERSATIONS) * 1000;
    return [
      { section, figure: `secure_delete: store ${int(CONVERSATIONS)} conversations and deliver them (each payload deleted), secure_delete off (median of ${RUNS})`, value: `${int(off)} ms (CPU ${int(offCpu)} ms)`, goal: '-', met: undefined },
      { section, figure: '… secure_delete on (as shipped)', value: `${int(on)} ms (${pct(on, off)}; CPU ${int(onCpu)} ms, ${pct(onCpu, offCpu)})`, goal: 'a few %', met: undefined },
      {
        section,
        figure: `state redaction of a ${fixed(size / 1e6, 1)} MB state (${int(report.conversations)} conversations delivered with redaction off): rewrite, per 1,000 conversations`,
        value: `${int(per1k(totalMs - scrubMs))} ms (CPU ${int(per1k(cpuMs))} ms with the VACUUM)`,
        goal: '-',
        met: undefined,
      },
      { section, figure: '… then VACUUM and WAL truncated (once per change of the redaction settings)', value: `${int(scrubMs)} ms`, goal: '-', met: undefined },
    ];
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
