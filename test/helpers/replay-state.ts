// A state for `replay` to a file that exercises everything a line is made of: scope (tags, status),
// labels, redaction with a pattern and pseudonyms, non-ASCII text, texts of many lengths. The same
// rules as a worker gets them (REPLAY_RULES) and as a config file says them (REPLAY_CONFIG).

import { join } from 'node:path';
import type { Highlight } from '../../src/highlight/types.ts';
import { createNdjsonDestination } from '../../src/destinations/ndjson.ts';
import { rulesOf, type ConversionRules } from '../../src/pipeline/deliver/conversion-rules.ts';
import { sendFromState } from '../../src/pipeline/deliver/from-state.ts';
import type { PageConverter } from '../../src/pipeline/deliver/page-lines.ts';
import type { Store } from '../../src/store/roles.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { UpsertItem } from '../../src/store/types.ts';
import { highlight } from '../store/helpers.ts';

export const PII_KEY = 'replay-state-test-key-0123456789abcdef';

export const REPLAY_RULES: ConversionRules = {
  subscription: { scope: { inboxes: [], tags: [], excludeTags: ['internal'], statuses: [] }, labelRules: [{ when: { tag: 'vip' }, label: 'priority' }] },
  redact: { redact: { kinds: ['email', 'phone'], patterns: [{ name: 'order-id', regex: 'ORD-\\d{8}' }] }, pseudonymize: true, piiKey: PII_KEY },
};

/** REPLAY_RULES as a config file, for a subscription writing to `path` (the key comes from FRONT_IMPORT_PII_KEY). */
export function replayConfig(path: string): string {
  return `highlights:
  redact: { kinds: [email, phone], patterns: [ { name: order-id, regex: 'ORD-\\d{8}' } ] }
  pseudonymize: true
subscriptions:
  - name: team
    destination: { type: ndjson, path: ${path} }
    scope: { excludeTags: [internal] }
    routing: { labels: [ { when: { tag: vip }, label: priority } ] }
`;
}

/** Conversation n: every 7th `internal`, every 11th spam, every 5th `vip`; its text and requester carry what redaction takes out. */
export function variedConversation(n: number): UpsertItem {
  const tags = [...(n % 7 === 0 ? ['internal'] : []), ...(n % 5 === 0 ? ['vip'] : [])];
  const text = `Order ORD-${String(n).padStart(8, '0')} still missing, call me on +1 415 555 ${String(n % 10_000).padStart(4, '0')} or write to buyer${n}@example.com. Ünïcødé ✓ ${'x'.repeat(n % 300)}`;
  const h: Highlight = highlight(n, `v${n}`, { tags, text, status: n % 11 === 0 ? 'spam' : 'open', requester: { name: `Buyer ${n}`, handle: `buyer${n}@example.com` } });
  return {
    highlight: h,
    facts: { frontStatus: 'unassigned', tags: tags.map((name) => ({ id: `tag_${name}`, name })), inboxes: [] },
    deliveries: [],
    lastMessageId: `msg_${n}`,
    frontUpdatedAt: n,
    lastMessage: { id: `msg_${n}`, createdAt: n, text },
  };
}

/** Whether REPLAY_RULES takes conversation k: all but the internal ones and the spam. */
export function inScope(k: number): boolean {
  return k % 7 !== 0 && k % 11 !== 0;
}

/** How many of conversations 1..n REPLAY_RULES takes. */
export function inScopeOf(n: number): number {
  return Array.from({ length: n }, (_, i) => i + 1).filter(inScope).length;
}

/** A SQLite state at `dir`/state.db holding conversations 1..n, open. */
export async function variedState(dir: string, n: number) {
  const path = join(dir, 'state.db');
  const store = openStore(path);
  const items = Array.from({ length: n }, (_, i) => variedConversation(i + 1));
  await store.persistPages({ runKey: 'backfill', messages: [], items, imported: [], checkpoint: undefined });
  return { store, path };
}

/** Replays the state under REPLAY_RULES to `file`, a destination of its own (its own delivery state), converting with `converter` (none: on this thread), then closes both. */
export async function replayToFile(store: Store, file: string, converter?: PageConverter) {
  const destination = createNdjsonDestination({ path: file });
  try {
    return await sendFromState(store, store.outbox(file), destination, rulesOf(REPLAY_RULES), { since: null, command: 'replay', ...(converter ? { converter } : {}) });
  } finally {
    await converter?.close();
    await destination.close();
  }
}
