// Schema 3's fields: what Front hands over with a conversation (custom fields, ticket ids, links),
// the owning teams and the text's language, mapped totally over hostile shapes.

import { describe, expect, it } from 'vitest';
import { mapCustomFields, mapLinks, mapTicketIds } from '../../src/highlight/front-fields.ts';
import { loadLanguageDetector } from '../../src/highlight/language.ts';
import { mapHighlight } from '../../src/highlight/map.ts';
import { LANGUAGES } from '../../src/sandbox/mail-languages.ts';
import { generateMail } from '../../src/sandbox/mail.ts';
import { highlightErrors } from '../helpers/highlight-contract.ts';
import { conversation } from './fixtures.ts';

const detectLanguage = await loadLanguageDetector();
const OPTS = { maxTextLength: 4000, labelRules: [], detectLanguage };
const message = (text: string) => ({ id: 'msg_1', createdAt: 1701292639, text });

describe('schema 3 fields', () => {
  it('carries custom fields as Front types them, ticket ids and links, and passes the contract', () => {
    const c = {
      ...conversation(),
      custom_fields: { Plan: 'Enterprise', Seats: 40, isVIP: true, renewal: 1525417200, owner: null },
      ticket_ids: ['TICKET-1', 'TICKET-2'],
      links: [{ id: 'top_1', name: 'JIRA-SCRAN-4567', type: 'app_x', external_url: 'https://dundermifflin.atlassian.net/browse/PB-SCRAN-4567', custom_fields: {} }],
    };
    const r = mapHighlight({ conversation: c, lastMessage: message('The export to CSV has been empty since Monday, can you look?'), teams: ['Support'] }, OPTS);
    if (!r.ok) throw new Error(r.reason);
    expect(r.highlight.customFields).toEqual({ Plan: 'Enterprise', Seats: 40, isVIP: true, owner: null, renewal: 1525417200 });
    expect(Object.keys(r.highlight.customFields)).toEqual(['Plan', 'Seats', 'isVIP', 'owner', 'renewal'].sort());
    expect(r.highlight.ticketIds).toEqual(['TICKET-1', 'TICKET-2']);
    expect(r.highlight.links).toEqual([{ name: 'JIRA-SCRAN-4567', url: 'https://dundermifflin.atlassian.net/browse/PB-SCRAN-4567' }]);
    expect(r.highlight.team).toEqual(['Support']);
    expect(r.highlight.language).toBe('en');
    expect(highlightErrors(JSON.parse(JSON.stringify(r.highlight)))).toEqual([]);
  });

  it('leaves out what has an unexpected shape instead of failing', () => {
    expect(mapCustomFields([1, 2])).toEqual({});
    expect(mapCustomFields('x')).toEqual({});
    expect(mapCustomFields({ a: { nested: true }, b: [1], c: Number.NaN, '': 'blank name', d: 'ok\u0000' })).toEqual({ d: 'ok' });
    expect(mapTicketIds(['T-1', 'T-1', 7, null, ' '])).toEqual(['T-1']);
    expect(mapLinks([{ name: 'x', external_url: 'javascript:alert(1)' }, { external_url: 'https://a.example/1' }, null, 'x'])).toEqual([{ name: 'https://a.example/1', url: 'https://a.example/1' }]);
  });

  it('a change in custom fields, ticket ids or links is a new version', () => {
    const base = mapHighlight({ conversation: conversation(), lastMessage: message('Hello there, the export is broken again today.') }, OPTS);
    const changed = mapHighlight({ conversation: { ...conversation(), custom_fields: { city: 'Stamford, CT' } }, lastMessage: message('Hello there, the export is broken again today.') }, OPTS);
    if (!base.ok || !changed.ok) throw new Error('not mapped');
    expect(changed.highlight.version).not.toBe(base.highlight.version);
  });
});

describe('language', () => {
  it('is null below the length where detection is unreliable', () => {
    for (const short of ['ok thanks', '+1', 'Danke!', 'merci beaucoup', '', '[email] [phone]']) expect(detectLanguage(short)).toBeNull();
  });

  it('names the language of the sandbox mail in eight languages: >= 95% right, never a wrong code more than 3% of the time', () => {
    let named = 0;
    let right = 0;
    let total = 0;
    for (const language of LANGUAGES) {
      for (let seed = 0; seed < 60; seed++) {
        const mail = generateMail(seed * 7919 + 13, {
          inbound: seed % 2 === 0,
          writer: { name: 'Ada Lovelace', handle: 'ada@example.com' },
          reader: { name: 'Support', handle: 'support@acme.example' },
          subject: 'Export',
          language,
          quoted: null,
        });
        total++;
        const found = detectLanguage(mail.ownWords);
        if (found === null) continue;
        named++;
        if (found === language) right++;
      }
    }
    expect(right / total).toBeGreaterThanOrEqual(0.95);
    expect((named - right) / total).toBeLessThanOrEqual(0.03);
  });
});
