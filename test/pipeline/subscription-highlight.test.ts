import { describe, expect, it } from 'vitest';
import { mapHighlight } from '../../src/highlight/map.ts';
import { highlightVersion } from '../../src/highlight/version.ts';
import type { FrontConversation } from '../../src/front/types.ts';
import { conversationFacts, subscriptionHighlight, type SubscriptionRules } from '../../src/pipeline/prepare/subscription-highlight.ts';

const conversation = {
  id: 'cnv_1',
  subject: 'Refund please',
  status: 'assigned',
  tags: [{ id: 'tag_9', name: 'VIP' }],
  created_at: 1_700_000_000,
  updated_at: 1_700_000_100,
  recipient: { handle: 'ada@example.com', name: 'Ada', role: 'from' },
  assignee: null,
} as unknown as FrontConversation;
const support = { id: 'inb_1', name: 'Support' };

function base() {
  const mapped = mapHighlight({ conversation, lastMessage: { id: 'msg_1', createdAt: 1_700_000_050, text: 'My order broke' } }, { maxTextLength: 4000, labelRules: [] });
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.highlight;
}

const rules = (over: Partial<SubscriptionRules['scope']> = {}, labelRules: SubscriptionRules['labelRules'] = []): SubscriptionRules => ({
  scope: { inboxes: [], tags: [], excludeTags: [], statuses: [], ...over },
  labelRules,
});

describe('subscriptionHighlight', () => {
  it('labels with the subscription rules (tag, Front status, inbox) and versions the labelled content', () => {
    const facts = conversationFacts(conversation, [support]);
    const h = subscriptionHighlight(base(), facts, rules({}, [
      { when: { tag: 'vip' }, label: 'p1' },
      { when: { status: 'assigned' }, label: 'owned' },
      { when: { inbox: 'support' }, label: 'support' },
      { when: { tag: 'other' }, label: 'never' },
    ]))!;
    expect(h.labels).toEqual(['owned', 'p1', 'support']);
    expect(h.version).toBe(highlightVersion(h));
    expect(h.version).not.toBe(base().version);
  });

  it('two subscriptions, same conversation: each its own labels and version; no rules = the plain mapping', () => {
    const facts = conversationFacts(conversation, [support]);
    const plain = subscriptionHighlight(base(), facts, rules())!;
    expect(plain).toEqual(base());
    const labelled = subscriptionHighlight(base(), facts, rules({}, [{ when: { tag: 'VIP' }, label: 'p1' }]))!;
    expect(labelled.version).not.toBe(plain.version);
  });

  it('filters by inbox (name any case or id), tag (name or id), excluded tag and status', () => {
    const facts = conversationFacts(conversation, [support]);
    expect(subscriptionHighlight(base(), facts, rules({ inboxes: ['SUPPORT'] }))).not.toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ inboxes: ['inb_1'] }))).not.toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ inboxes: ['Billing'] }))).toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ tags: ['tag_9'] }))).not.toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ tags: ['refund'] }))).toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ excludeTags: ['vip'] }))).toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ statuses: ['archived'] }))).toBeNull();
  });

  it('an inbox scope passes a conversation whose inbox is unknown, and refuses one seen in no inbox lane', () => {
    expect(subscriptionHighlight(base(), conversationFacts(conversation, null), rules({ inboxes: ['Billing'] }))).not.toBeNull();
    expect(subscriptionHighlight(base(), conversationFacts(conversation, []), rules({ inboxes: ['Billing'] }))).toBeNull();
  });
});
