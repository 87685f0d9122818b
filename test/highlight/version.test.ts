import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mapHighlight } from '../../src/highlight/map.ts';
import { highlightVersion, type HighlightContent } from '../../src/highlight/version.ts';
import type { FrontConversation, FrontMessage } from '../../src/front/types.ts';
import type { Highlight } from '../../src/highlight/types.ts';
import { messageToText } from '../../src/highlight/message-text.ts';
import { conversation, emailMessage } from './fixtures.ts';
import { asFrontMessage, loadRealMailCorpus } from '../../src/highlight/real-mail-corpus.ts';

const content: HighlightContent = {
  schemaVersion: 3,
  title: 'Printer on fire',
  text: 'It is on fire.',
  textTruncated: false,
  textAuthor: { role: 'customer', name: 'Kevin Malone', handle: 'kevin@dm.com' },
  requester: { name: 'Kevin Malone', handle: 'kevin@dm.com' },
  assignee: { id: 'tea_1', name: 'Darryl Philbin', email: 'darryl@dm.com' },
  participants: [{ name: 'Kevin Malone', handle: 'kevin@dm.com', role: 'requester' }],
  status: 'open',
  statusName: 'Waiting on customer',
  statusCategory: 'waiting',
  tags: ['hardware'],
  labels: ['urgent'],
  customFields: {},
  ticketIds: [],
  links: [],
  team: [],
  language: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  lastMessageAt: '2024-01-02T00:00:00.000Z',
};

const changes: { [K in Exclude<keyof HighlightContent, 'team'>]: HighlightContent[K][] } = {
  schemaVersion: [2 as unknown as 3],
  title: ['Printer on fire!'],
  text: ['It is on fire'],
  textTruncated: [true],
  textAuthor: [null, { role: 'teammate', name: 'Kevin Malone', handle: 'kevin@dm.com' }],
  participants: [[], [{ name: 'Kevin Malone', handle: 'kevin@dm.com', role: 'cc' }]],
  statusName: [null, 'Open'],
  requester: [null, { name: null, handle: 'kevin@dm.com' }, { name: 'Kevin Malone', handle: 'k@dm.com' }],
  assignee: [null, { id: 'tea_2', name: 'Darryl Philbin', email: 'darryl@dm.com' }, { id: 'tea_1', name: 'Darryl', email: 'darryl@dm.com' }],
  status: ['archived', 'spam', 'trashed'],
  statusCategory: [null, 'open', 'resolved'],
  tags: [[], ['hardware', 'fire']],
  labels: [[], ['urgent', 'vip']],
  customFields: [{ Plan: 'Enterprise' }, { Plan: null }],
  ticketIds: [['TICKET-1']],
  links: [[{ name: 'ENG-1', url: 'https://linear.app/acme/issue/ENG-1' }]],
  language: ['de'],
  createdAt: ['2024-01-01T00:00:00.001Z'],
  lastMessageAt: [null, '2024-01-03T00:00:00.000Z'],
};

describe('highlightVersion', () => {
  it('is a 64-character sha256 hex digest, the same for the same content', () => {
    expect(highlightVersion(content)).toMatch(/^[0-9a-f]{64}$/);
    expect(highlightVersion(structuredClone(content))).toBe(highlightVersion(content));
  });

  it('does not depend on the order keys were written in', () => {
    const reversed = Object.fromEntries(Object.entries(content).reverse()) as unknown as HighlightContent;
    const requester = { handle: 'kevin@dm.com', name: 'Kevin Malone' };
    expect(highlightVersion({ ...reversed, requester })).toBe(highlightVersion(content));
  });

  for (const [field, values] of Object.entries(changes)) {
    it(`changes when ${field} changes`, () => {
      for (const value of values) {
        expect(highlightVersion({ ...content, [field]: value })).not.toBe(highlightVersion(content));
      }
    });
  }

  it('does not change with team alone: it depends on which inboxes a run read the conversation in', () => {
    expect(highlightVersion({ ...content, team: ['Success', 'Support'] })).toBe(highlightVersion({ ...content, team: ['Support'] }));
  });

  it('changes with the redaction settings, and is as before with redaction off', () => {
    expect(highlightVersion(content, null)).toBe(highlightVersion(content));
    expect(highlightVersion(content, 'a'.repeat(64))).not.toBe(highlightVersion(content));
    expect(highlightVersion(content, 'b'.repeat(64))).not.toBe(highlightVersion(content, 'a'.repeat(64)));
  });

  it('ignores id, source, conversationId, updatedAt and sourceUrl', () => {
    const extras: Partial<Highlight> = { id: 'front:cnv_9', source: 'front', conversationId: 'cnv_9', updatedAt: '2030-01-01T00:00:00.000Z', sourceUrl: 'x' };
    expect(highlightVersion({ ...content, ...extras })).toBe(highlightVersion(content));
  });
});

/** The digest as first written (entries, filter, sort, map, join): the rewritten one must give the very same versions. */
function referenceVersion(c: HighlightContent, redaction: string | null = null): string {
  const fields = ['schemaVersion', 'title', 'text', 'textTruncated', 'textAuthor', 'requester', 'assignee', 'participants', 'status', 'statusName', 'statusCategory', 'tags', 'labels', 'customFields', 'ticketIds', 'links', 'language', 'createdAt', 'lastMessageAt'] as const;
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
    }
    return JSON.stringify(value ?? null);
  };
  const pairs: unknown[] = fields.map((field) => [field, c[field]]);
  if (redaction !== null) pairs.push(['redaction', redaction]);
  return createHash('sha256').update(canonical(pairs)).digest('hex');
}

describe('highlightVersion, as first written', () => {
  it('gives the same digest for every kind of content, with and without redaction', () => {
    const odd: HighlightContent = {
      ...content,
      title: 'Ünïcödé “quotes” \u2028 \\ back\\slash "quoted" 😀 \ud800 lone',
      text: 'line\nbreak\ttab\u0000nul',
      textAuthor: { role: 'customer', name: undefined as unknown as string, handle: 'k@dm.com' },
      customFields: { Zeta: ['b', 'a'], alpha: 1.5, 'Ärger': null, '10': true, '2': { nested: { z: 1, a: [null, 0, -0, 1e21] } }, _: undefined } as unknown as HighlightContent['customFields'],
      ticketIds: ['T-2', 'T-1'],
      links: [{ name: 'ENG-1', url: 'https://linear.app/acme/issue/ENG-1' }],
      team: ['Support'],
      language: 'de',
    };
    const variants = [content, odd, ...Object.entries(changes).flatMap(([field, values]) => values.map((value) => ({ ...odd, [field]: value }) as HighlightContent))];
    // A Highlight of an older schema lacks some keys.
    variants.push({ ...content, customFields: undefined, ticketIds: undefined, links: undefined, language: undefined } as unknown as HighlightContent);
    for (const v of variants) {
      expect(highlightVersion(v)).toBe(referenceVersion(v));
      expect(highlightVersion(v, 'f'.repeat(64))).toBe(referenceVersion(v, 'f'.repeat(64)));
    }
  });
});

describe('highlightVersion against the reference, over real and random content', () => {
  it('every real-mail corpus message as a Highlight text, and an extracted text, gives the reference digest', () => {
    const corpus = loadRealMailCorpus();
    expect(corpus.length).toBeGreaterThan(400);
    for (const mail of corpus) {
      const text = messageToText(asFrontMessage(mail));
      const v: HighlightContent = { ...content, title: mail.message.slice(0, 80), text, textAuthor: { role: 'customer', name: mail.source, handle: mail.url } };
      expect(highlightVersion(v), mail.url).toBe(referenceVersion(v));
    }
  });

  it('random nested custom fields and participants (keys of letters, accents, digits, index-like, __proto__; undefined values) give the reference digest', () => {
    let seed = 20261206;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const KEYS = ['a', 'B', 'zeta', 'Ärger', 'é', 'e', '_', '2', '10', '07', '-1', '1e3', '4294967295', '__proto__', 'toJSON', '😀', 'a b'];
    const leaf = () => pick<unknown>(['x', '', 'ünï “q” \u2028', 0, -0, 1.5, 1e21, true, false, null, undefined]);
    const value = (depth: number): unknown => {
      const r = next();
      if (depth > 3 || r < 0.5) return leaf();
      if (r < 0.75) {
        return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      }
      // JSON.parse, as a stored Highlight is read: `__proto__` becomes an own key.
      const object = JSON.parse('{}') as Record<string, unknown>;
      for (let i = Math.floor(next() * 5); i > 0; i--) Object.defineProperty(object, pick(KEYS), { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
      return object;
    };
    let oddKeys = 0;
    for (let i = 0; i < 2_000; i++) {
      const customFields = value(0) as HighlightContent['customFields'];
      const participants = Array.from({ length: Math.floor(next() * 3) }, () => ({ handle: pick(KEYS), role: 'cc', name: next() < 0.3 ? undefined : pick(KEYS) })) as HighlightContent['participants'];
      const v: HighlightContent = { ...content, customFields, participants };
      if (JSON.stringify(customFields)?.match(/"(\d+|__proto__)":/)) oddKeys += 1;
      expect(highlightVersion(v), JSON.stringify(v.customFields)).toBe(referenceVersion(v));
      expect(highlightVersion(v, 'e'.repeat(64))).toBe(referenceVersion(v, 'e'.repeat(64)));
    }
    // The odd keys (array indexes, `__proto__`) were drawn in some of them, not in all.
    expect(oddKeys).toBeGreaterThan(50);
    expect(oddKeys).toBeLessThan(1_900);
  });
});

describe('version of a mapped conversation', () => {
  const opts = { maxTextLength: 4000, labelRules: [{ when: { tag: 'billing' }, label: 'finance' }] };
  const versionOf = (conv: FrontConversation, message: FrontMessage = emailMessage()) => {
    const result = mapHighlight(
      { conversation: conv, lastMessage: { id: message.id, createdAt: message.created_at ?? null, text: messageToText(message) } },
      opts,
    );
    if (!result.ok) throw new Error(result.reason);
    return result.highlight.version;
  };

  it('is unchanged by a bump of updated_at alone', () => {
    expect(versionOf({ ...conversation(), updated_at: 1800000000 })).toBe(versionOf(conversation()));
  });

  it('changes with what a reader sees', () => {
    const base = versionOf(conversation());
    expect(versionOf({ ...conversation(), status: 'archived' })).not.toBe(base);
    expect(versionOf({ ...conversation(), tags: [] })).not.toBe(base);
    expect(versionOf(conversation(), { ...emailMessage(), text: 'Never mind, sorted.' })).not.toBe(base);
    expect(versionOf(conversation(), { ...emailMessage(), created_at: 1701292700 })).not.toBe(base);
  });
});
