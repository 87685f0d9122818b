// Where redaction meets records kept at rest: messages staged from the event stream (PageWriter),
// a rule webhook's full event data, stored message texts and a Highlight's customers.

import { describe, expect, it } from 'vitest';
import type { FrontMessage } from '../../src/front/types.ts';
import { PageWriter } from '../../src/pipeline/run/page-writer.ts';
import { redactFrontMessage, redactFullEvent, redactHighlight, redactStoredMessage } from '../../src/redact/apply.ts';
import { createRedactor } from '../../src/redact/redactor.ts';
import type { PagesWrite } from '../../src/store/types.ts';
import { makeHighlight } from '../destinations/helpers.ts';

const r = createRedactor({ kinds: ['email', 'phone', 'card'], patterns: [], pseudonymize: true }, [], 'apply-test-key-0123456789');
const message: FrontMessage = {
  id: 'msg_1',
  is_inbound: true,
  created_at: 1_700_000_000,
  text: 'Please refund card 4111 1111 1111 1111, call +44 20 7946 0958.\n\nOn Mon, 1 Jan 2024, Bob <bob@example.com> wrote:\n> old words',
  body: '<p>Please refund card 4111 1111 1111 1111</p>',
  blurb: 'Please refund card 4111 1111 1111 1111',
  recipients: [{ name: 'Ada Lovelace', handle: 'ada@example.com', role: 'from' }, { name: 'Support', handle: 'support@acme.example', role: 'to' }],
};

describe('redaction of what is kept at rest', () => {
  it('a staged or queued message keeps its own words, redacted, and no HTML body', () => {
    const m = redactFrontMessage(message, r, 4000);
    expect(m.text).toBe('Please refund card [card], call [phone].');
    expect(m.body).toBeUndefined();
    expect(m.blurb).toBe('Please refund card [card]');
    expect(m.recipients![0]).toMatchObject({ name: expect.stringMatching(/^anon-/), handle: expect.stringMatching(/^anon-/) });
    expect(JSON.stringify(m)).not.toMatch(/ada@example|Lovelace|4111|7946/);
  });

  it("PageWriter stages the event stream's messages redacted", async () => {
    const writes: PagesWrite[] = [];
    const writer = new PageWriter({
      store: {
        persistPages: async (w) => {
          writes.push(w);
          return w.items.map(() => 'created' as const);
        },
      },
      runKey: 'k',
      textFrom: 'latest',
      clock: () => 0,
      onUpsert: () => {},
      stageMessage: (m) => redactFrontMessage(m, r, 4000),
    });
    await writer.add({ updates: [], messages: [{ conversationId: 'cnv_1', message, inbox: null }], resume: null, progress: 1 }, [], null);
    await writer.flush();
    expect(JSON.stringify(writes)).not.toMatch(/4111|7946|ada@example/);
    expect(writes[0]!.messages[0]!.message.text).toContain('[card]');
  });

  it("a rule webhook's full event data is queued redacted", () => {
    const event = { eventId: 'evt_1', type: 'inbound', conversationId: 'cnv_1', full: { conversation: { id: 'cnv_1', subject: 'Call +49 30 901820', recipient: { handle: 'ada@example.com', name: 'Ada' } }, message } };
    const queued = redactFullEvent(event, r, 4000);
    expect(JSON.stringify(queued)).not.toMatch(/4111|7946|901820|ada@example/);
    expect(queued.full!.conversation.subject).toBe('Call [phone]');
  });

  it('a stored message and a Highlight: texts redacted, customers pseudonymized, teammates kept, one address once', () => {
    const stored = redactStoredMessage({ id: 'msg_1', createdAt: 1, text: 'mail me at ada@example.com', author: { role: 'customer', name: 'Ada', handle: 'ada@example.com' }, people: [{ name: 'Ada', handle: 'ada@example.com', side: 'customer', copied: false }] }, r)!;
    expect(stored.text).toBe('mail me at [email]');
    expect(stored.author!.handle).toBe(r.person('ada@example.com'));
    const h = redactHighlight({
      ...makeHighlight(1),
      requester: { name: 'Ada', handle: 'ada@example.com' },
      participants: [
        { name: 'Ada', handle: 'ada@example.com', role: 'requester' },
        { name: 'Ada', handle: r.person('ada@example.com'), role: 'cc' },
        { name: 'Sam Agent', handle: 'sam@acme.example', role: 'teammate' },
      ],
    }, r);
    expect(h.participants).toEqual([
      { name: r.person('Ada'), handle: r.person('ada@example.com'), role: 'requester' },
      { name: 'Sam Agent', handle: 'sam@acme.example', role: 'teammate' },
    ]);
  });
});
