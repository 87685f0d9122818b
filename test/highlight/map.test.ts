import { describe, expect, it } from 'vitest';
import { loadLanguageDetector } from '../../src/highlight/language.ts';
import { mapHighlight, type MapInput } from '../../src/highlight/map.ts';
import { messageToText } from '../../src/highlight/message-text.ts';
import { messagePeople, textAuthorOf } from '../../src/highlight/participants.ts';
import type { FrontConversation } from '../../src/front/types.ts';
import type { Highlight, MappingOptions } from '../../src/highlight/types.ts';
import { chatMessage, conversation, emailMessage, nullsConversation } from './fixtures.ts';
import { cpuMs } from '../helpers/cpu-time.ts';

const OPTS: MappingOptions = { maxTextLength: 4000, labelRules: [], detectLanguage: await loadLanguageDetector() };
const EMAIL_TEXT =
  "Hi there,\n\nI wanted to let you know that I'm suggesting an update to Dunder Mifflin's Pranking Policy " +
  '(https://dundermifflin.com/privacy/pranks) to provide non-humorous employees greater control over ' +
  'their well-being in the office.\n\nPhyllis';

function lastMessageOf(message = emailMessage()): MapInput['lastMessage'] {
  return { id: message.id, createdAt: message.created_at ?? null, text: messageToText(message), author: textAuthorOf(message), people: messagePeople(message) };
}

function mapOk(input: MapInput, opts: MappingOptions = OPTS): { highlight: Highlight; warnings: string[] } {
  const result = mapHighlight(input, opts);
  if (!result.ok) throw new Error(`expected a Highlight, got: ${result.reason}`);
  return result;
}

function withConversation(changes: Partial<FrontConversation>, lastMessage = lastMessageOf()) {
  return mapOk({ conversation: { ...conversation(), ...changes }, lastMessage });
}

describe('mapHighlight', () => {
  it('maps a full conversation and its latest email', () => {
    const { highlight, warnings } = mapOk({ conversation: conversation(), lastMessage: lastMessageOf() });
    expect(highlight).toEqual({
      id: 'front:cnv_yo1kg5q',
      version: expect.stringMatching(/^[0-9a-f]{64}$/),
      schemaVersion: 3,
      source: 'front',
      conversationId: 'cnv_yo1kg5q',
      title: 'How to prank Dwight Schrute',
      text: EMAIL_TEXT,
      textTruncated: false,
      textAuthor: { role: 'customer', name: 'Phyllis Lapin-Vance', handle: 'purpleboss@limitlesspaper.com' },
      requester: { name: 'Phyllis Lapin-Vance', handle: 'purpleboss@limitlesspaper.com' },
      assignee: { id: 'tea_6r55a', name: 'Michael Scott', email: 'michael.scott@dundermifflin.com' },
      participants: [
        { name: 'Phyllis Lapin-Vance', handle: 'purpleboss@limitlesspaper.com', role: 'requester' },
        { name: 'Michael Scott', handle: 'michael.scott@dundermifflin.com', role: 'teammate' },
      ],
      status: 'open',
      statusName: null,
      statusCategory: 'open',
      tags: ['Billing', 'Warehouse task'],
      labels: [],
      customFields: { city: 'Scranton, PA' },
      ticketIds: ['TICKET-1'],
      links: [],
      team: [],
      language: 'en',
      createdAt: '2023-11-29T21:17:29.333Z',
      updatedAt: '2023-11-30T01:00:00.500Z',
      lastMessageAt: '2023-11-29T21:17:19.000Z',
      sourceUrl: 'https://app.frontapp.com/open/cnv_yo1kg5q',
    });
    expect(warnings).toEqual([]);
  });

  describe('title', () => {
    it('uses the first line with real content of the text when the subject is empty: greetings are skipped', () => {
      const body = { ...chatMessage(), body: '<p>&nbsp;</p><p>  Where is my order?  </p><p>Second line</p>' };
      expect(withConversation({ subject: '' }, lastMessageOf(body)).highlight.title).toBe('Where is my order?');
      expect(withConversation({ subject: '   \t ' }).highlight.title).toMatch(/^I wanted to let you know/);
      expect(withConversation({ subject: null }).highlight.title).toMatch(/^I wanted to let you know/);
      for (const greeting of ['Hi,', 'Hello Maria,', 'Bonjour,', 'Hallo Herr Müller,', 'Hi support 👋', 'こんにちは。', 'Dear Mr Smith,']) {
        const lastMessage = { id: 'msg_1', createdAt: 1701292639, text: `${greeting}\n\nThe export fails.` };
        expect(mapOk({ conversation: { ...conversation(), subject: '' }, lastMessage }, OPTS).highlight.title).toBe('The export fails.');
      }
      const onlyGreeting = { id: 'msg_1', createdAt: 1701292639, text: 'Hi,' };
      expect(mapOk({ conversation: { ...conversation(), subject: '' }, lastMessage: onlyGreeting }, OPTS).highlight.title).toBe('Hi,');
      const content = { id: 'msg_1', createdAt: 1701292639, text: 'Hi, the export fails since Monday' };
      expect(mapOk({ conversation: { ...conversation(), subject: '' }, lastMessage: content }, OPTS).highlight.title).toBe(content.text);
    });

    it('strips reply and forward prefixes, repeated, in any case and language', () => {
      for (const [subject, title] of [
        ['Re: Fwd: RE: Export fails', 'Export fails'],
        ['FW: AW: SV: Export fails', 'Export fails'],
        ['Réf. : TR: Export fails', 'Export fails'],
        ['RE[2]: WG: Export fails', 'Export fails'],
        ['Regarding the export', 'Regarding the export'],
        ['Re:', '(from text)'],
      ]) {
        const lastMessage = { id: 'msg_1', createdAt: 1701292639, text: '(from text)' };
        expect(mapOk({ conversation: { ...conversation(), subject }, lastMessage }, OPTS).highlight.title).toBe(title);
      }
    });

    it('takes the first line from the whole text, even past maxTextLength', () => {
      const lastMessage = { id: 'msg_1', createdAt: 1701292639, text: 'x'.repeat(50) };
      const result = mapOk({ conversation: { ...conversation(), subject: '' }, lastMessage }, { ...OPTS, maxTextLength: 10 });
      expect(result.highlight.title).toBe('x'.repeat(50));
      expect(result.highlight.text).toBe(`${'x'.repeat(9)}…`);
    });

    it('is "(no subject)" when subject and text are both empty', () => {
      expect(withConversation({ subject: ' ' }, null).highlight.title).toBe('(no subject)');
    });

    it('puts a multi-line subject on one line and trims it', () => {
      expect(withConversation({ subject: '  Refund\r\n  now\u0007 please ' }).highlight.title).toBe('Refund now please');
    });

    it('cuts at 200 characters with "…" and never splits an emoji', () => {
      const subject = `${'a'.repeat(198)}😀tail`;
      const { title } = withConversation({ subject }).highlight;
      expect(title).toBe(`${'a'.repeat(198)}…`);
      expect(withConversation({ subject: 'b'.repeat(200) }).highlight.title).toBe('b'.repeat(200));
      expect(withConversation({ subject: 'b'.repeat(201) }).highlight.title).toBe(`${'b'.repeat(199)}…`);
    });

    it('keeps unicode subjects intact', () => {
      expect(withConversation({ subject: 'Ünïcödé 日本語 👩‍👩‍👧 مرحبا' }).highlight.title).toBe('Ünïcödé 日本語 👩‍👩‍👧 مرحبا');
    });
  });

  describe('text', () => {
    it('is the HTML-only latest message converted', () => {
      expect(withConversation({}, lastMessageOf(chatMessage())).highlight.text).toBe(
        'Hello team,\n\nWhere is order 4417 (https://dundermifflin.com/orders/4417)?\n\nItem Qty\nCopy paper 12\n\nThanks & regards',
      );
    });

    it('is cut to maxTextLength with "…", code-point safe', () => {
      const lastMessage = { id: 'msg_1', createdAt: null, text: '😀'.repeat(10) };
      const { text } = mapOk({ conversation: conversation(), lastMessage }, { ...OPTS, maxTextLength: 6 }).highlight;
      expect(text).toBe('😀😀…');
    });

    it('is empty without a latest message', () => {
      const { highlight } = withConversation({}, null);
      expect(highlight.text).toBe('');
      expect(highlight.lastMessageAt).toBeNull();
    });

    it('stays bounded and fast for a 5 MB HTML body', () => {
      const huge = { ...chatMessage(), body: `<div>${'<b>spam</b> and eggs '.repeat(250_000)}</div>` };
      const { value: { highlight }, ms } = cpuMs(() => withConversation({}, lastMessageOf(huge)));
      expect(ms).toBeLessThan(2000);
      expect(highlight.text.length).toBeLessThanOrEqual(4000);
      expect(highlight.text.length).toBeGreaterThan(3990);
      expect(highlight.text.startsWith('spam and eggs spam')).toBe(true);
      expect(highlight.text.endsWith('…')).toBe(true);
    });

    it('maps deeply nested HTML without throwing', () => {
      const deep = { ...chatMessage(), body: `${'<blockquote>'.repeat(8000)}bottom${'</blockquote>'.repeat(8000)}` };
      expect(withConversation({}, lastMessageOf(deep)).highlight.text).toBe('bottom');
    });
  });

  describe('people', () => {
    it('has no requester without a recipient or a handle; a blank name becomes null', () => {
      expect(withConversation({ recipient: null }).highlight.requester).toBeNull();
      expect(withConversation({ recipient: { name: 'Anon', handle: '  ', role: 'from' } }).highlight.requester).toBeNull();
      expect(withConversation({ recipient: { name: ' ', handle: ' +15551234567 ' } }).highlight.requester).toEqual({
        name: null,
        handle: '+15551234567',
      });
    });

    it('has no assignee when the conversation is unassigned', () => {
      const { highlight } = withConversation({ assignee: null, status: 'unassigned' });
      expect(highlight.assignee).toBeNull();
      expect(highlight.status).toBe('open');
    });

    it("falls back from the teammate's name to username, email, then id; email defaults to ''", () => {
      const base = { id: 'tea_1', first_name: null, last_name: '', username: 'dschrute', email: 'dwight@dm.com' };
      expect(withConversation({ assignee: base }).highlight.assignee).toEqual({ id: 'tea_1', name: 'dschrute', email: 'dwight@dm.com' });
      expect(withConversation({ assignee: { ...base, username: null } }).highlight.assignee?.name).toBe('dwight@dm.com');
      expect(withConversation({ assignee: { id: 'tea_1' } }).highlight.assignee).toEqual({ id: 'tea_1', name: 'tea_1', email: '' });
      expect(withConversation({ assignee: { ...base, first_name: ' Dwight ', last_name: null } }).highlight.assignee?.name).toBe('Dwight');
    });
  });

  describe('status', () => {
    it.each([
      ['assigned', 'open'],
      ['unassigned', 'open'],
      ['archived', 'archived'],
      ['deleted', 'trashed'],
      ['spam', 'spam'],
    ])('Front %s -> %s without warnings', (front, expected) => {
      const { highlight, warnings } = withConversation({ status: front });
      expect(highlight.status).toBe(expected);
      expect(warnings).toEqual([]);
    });

    it('maps an unknown status to open with a warning naming it', () => {
      const { highlight, warnings } = withConversation({ status: 'snoozed' });
      expect(highlight.status).toBe('open');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('snoozed');
    });

    it('maps an unknown status_category to null with a warning; a missing one silently to null', () => {
      const unknown = withConversation({ status_category: 'escalated' });
      expect(unknown.highlight.statusCategory).toBeNull();
      expect(unknown.warnings.join()).toContain('escalated');
      const missing = withConversation({ status_category: undefined });
      expect(missing.highlight.statusCategory).toBeNull();
      expect(missing.warnings).toEqual([]);
      expect(withConversation({ status_category: 'resolved' }).highlight.statusCategory).toBe('resolved');
    });
  });

  describe('tags and labels', () => {
    it('sorts and dedupes 10,000 tags quickly', () => {
      const tags = Array.from({ length: 10_000 }, (_, i) => ({ id: `tag_${i}`, name: `tag-${(i * 7919) % 5000}` }));
      const { value: { highlight }, ms } = cpuMs(() => withConversation({ tags }));
      expect(ms).toBeLessThan(1000);
      expect(highlight.tags).toHaveLength(5000);
      expect(highlight.tags.slice(0, 3)).toEqual(['tag-0', 'tag-1', 'tag-10']);
      expect(new Set(highlight.tags).size).toBe(5000);
    });

    it('tidies tag names like other text: no control characters, no lone surrogates, one line', () => {
      const tags = ['tab\tbell\u0007tag', 'half \uD800 tag', ' two\nlines ', '\u0000'].map((name, i) => ({ id: `tag_${i}`, name }));
      expect(withConversation({ tags }).highlight.tags).toEqual(['half \uFFFD tag', 'tab belltag', 'two lines']);
    });

    it('applies label rules to tags, status and inboxes', () => {
      const { highlight } = mapOk(
        { conversation: conversation(), lastMessage: lastMessageOf() },
        {
          maxTextLength: 4000,
          inboxes: [{ id: 'inb_1ix6', name: 'Support' }],
          labelRules: [
            { when: { tag: 'billing' }, label: 'finance' },
            { when: { status: 'assigned' }, label: 'owned' },
            { when: { inbox: 'support' }, label: 'support' },
            { when: { tag: 'VIP' }, label: 'vip' },
          ],
        },
      );
      expect(highlight.labels).toEqual(['finance', 'owned', 'support']);
    });
  });

  describe('timestamps', () => {
    it('falls back to the last message time when created_at is missing, with a warning', () => {
      const { highlight, warnings } = withConversation({ created_at: undefined });
      expect(highlight.createdAt).toBe('2023-11-29T21:17:19.000Z');
      expect(warnings.join()).toContain('created_at');
    });

    it('treats non-finite and absurd numbers as missing', () => {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -5, 1701292649333, 1e300]) {
        const { highlight } = withConversation({ created_at: bad, updated_at: bad });
        expect(highlight.createdAt).toBe('2023-11-29T21:17:19.000Z');
        expect(highlight.updatedAt).toBe('2023-11-29T21:17:19.000Z');
      }
    });

    it('falls back to updated_at when there is neither created_at nor a message', () => {
      expect(withConversation({ created_at: null }, null).highlight.createdAt).toBe('2023-11-30T01:00:00.500Z');
    });

    it('refuses a conversation with no usable time at all', () => {
      const result = mapHighlight({ conversation: { ...conversation(), created_at: null, updated_at: undefined }, lastMessage: null }, OPTS);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/created_at/);
    });
  });

  describe('hostile input', () => {
    it('maps a conversation with null in every nullable field and no _links', () => {
      const { highlight, warnings } = mapOk({ conversation: nullsConversation(), lastMessage: null });
      expect(highlight).toMatchObject({
        id: 'front:cnv_55c8c149',
        title: '(no subject)',
        text: '',
        requester: null,
        assignee: null,
        status: 'open',
        statusCategory: null,
        tags: [],
        labels: [],
        createdAt: '2023-11-30T01:00:00.500Z',
        updatedAt: '2023-11-30T01:00:00.500Z',
        lastMessageAt: null,
      });
      expect(warnings).toHaveLength(2);
    });

    it('never throws on wrongly-typed fields', () => {
      const hostile = {
        id: 'cnv_1',
        subject: 12,
        status: { x: 1 },
        status_category: ['open'],
        assignee: 'tea_1',
        recipient: 7,
        tags: [null, 3, 'x', { name: null }, { id: 'tag_1', name: 'ok' }],
        created_at: '1701292649',
        updated_at: 1701292649,
      } as unknown as FrontConversation;
      const { highlight } = mapOk({ conversation: hostile, lastMessage: null });
      expect(highlight).toMatchObject({ title: '(no subject)', status: 'open', tags: ['ok'], requester: null, assignee: null });
    });

    it('refuses a conversation without an id instead of throwing', () => {
      const result = mapHighlight({ conversation: { ...conversation(), id: '' }, lastMessage: null }, OPTS);
      expect(result).toEqual({ ok: false, reason: expect.stringContaining('id') });
    });

    it('produces well-formed strings from control characters and broken UTF-8', () => {
      const broken = Buffer.from([0x62, 0x61, 0x64, 0xc3, 0x28]).toString('utf8');
      const lastMessage = { id: 'msg_1', createdAt: null, text: 'fine' };
      const { highlight } = withConversation({ subject: `\u0000${broken}\ud800!` }, lastMessage);
      expect(highlight.title).toBe('bad\ufffd(\ufffd!');
    });
  });
});

describe('schema 2 fields', () => {
  const at = 1701292639;
  it('cuts the text at a word boundary with "…" and says so', () => {
    const lastMessage = { id: 'msg_1', createdAt: at, text: 'The export fails every single morning since Monday' };
    const { highlight } = mapOk({ conversation: conversation(), lastMessage }, { ...OPTS, maxTextLength: 20 });
    expect(highlight.text).toBe('The export fails…');
    expect(highlight.textTruncated).toBe(true);
    const unbroken = { id: 'msg_1', createdAt: at, text: 'x'.repeat(50) };
    expect(mapOk({ conversation: conversation(), lastMessage: unbroken }, { ...OPTS, maxTextLength: 20 }).highlight.text).toBe(`${'x'.repeat(19)}…`);
    expect(mapOk({ conversation: conversation(), lastMessage: { ...unbroken, text: 'short' } }).highlight.textTruncated).toBe(false);
  });

  it('takes text and textAuthor from the text message, lastMessageAt from the latest', () => {
    const latest = { id: 'msg_2', createdAt: at + 60, text: 'Agent reply', author: { role: 'teammate' as const, name: 'Ada', handle: 'ada@acme.example' } };
    const ask = { id: 'msg_1', createdAt: at, text: 'Customer ask', author: { role: 'customer' as const, name: 'Phyllis', handle: 'p@x.example' } };
    const { highlight } = mapOk({ conversation: conversation(), lastMessage: latest, textMessage: ask });
    expect(highlight).toMatchObject({ text: 'Customer ask', textAuthor: ask.author, lastMessageAt: new Date((at + 60) * 1000).toISOString() });
  });

  it('lists participants once each: requester, copied customers, then teammates', () => {
    const people = [
      { name: 'Phyllis', handle: 'PURPLEBOSS@limitlesspaper.com', side: 'customer' as const, copied: false },
      { name: 'Bob', handle: 'bob@limitlesspaper.com', side: 'customer' as const, copied: true },
      { name: 'Dwight', handle: 'dwight@dundermifflin.com', side: 'teammate' as const, copied: false },
      { name: 'Michael', handle: 'michael.scott@dundermifflin.com', side: 'teammate' as const, copied: false },
    ];
    const { highlight } = mapOk({ conversation: conversation(), lastMessage: { id: 'msg_1', createdAt: at, text: 'x', people }, textMessage: { id: 'msg_0', createdAt: at, text: 'y', people } });
    expect(highlight.participants).toEqual([
      { name: 'Phyllis Lapin-Vance', handle: 'purpleboss@limitlesspaper.com', role: 'requester' },
      { name: 'Bob', handle: 'bob@limitlesspaper.com', role: 'cc' },
      { name: 'Michael Scott', handle: 'michael.scott@dundermifflin.com', role: 'teammate' },
      { name: 'Dwight', handle: 'dwight@dundermifflin.com', role: 'teammate' },
    ]);
  });

  it('carries the ticket status name, null when unknown', () => {
    expect(mapOk({ conversation: conversation(), lastMessage: lastMessageOf(), statusName: 'Waiting on customer' }).highlight.statusName).toBe('Waiting on customer');
    expect(mapOk({ conversation: conversation(), lastMessage: lastMessageOf() }).highlight.statusName).toBeNull();
  });
});
