// Scope and routing by schema 3's fields, in-process: scope.customFields and scope.teams (resolved
// to the team's inboxes), customField and language label rules, and redaction's part in versions.

import { describe, expect, it } from 'vitest';
import type { FrontConversation, FrontInbox } from '../../src/front/types.ts';
import { loadLanguageDetector } from '../../src/highlight/language.ts';
import { mapHighlight } from '../../src/highlight/map.ts';
import { highlightVersion } from '../../src/highlight/version.ts';
import { conversationFacts, subscriptionHighlight, type SubscriptionRules } from '../../src/pipeline/prepare/subscription-highlight.ts';
import { redactedBase } from '../../src/redact/apply.ts';
import { createRedactor } from '../../src/redact/redactor.ts';
import { resolveScopeTeams } from '../../src/scope/teams.ts';
import { UsageError } from '../../src/errors.ts';

const conversation = {
  id: 'cnv_1',
  subject: 'Rechnung',
  status: 'assigned',
  tags: [],
  custom_fields: { Plan: 'Enterprise', Seats: 40, isVIP: true },
  created_at: 1_700_000_000,
  updated_at: 1_700_000_100,
  recipient: { handle: 'ada@example.com', name: 'Ada', role: 'from' },
} as unknown as FrontConversation;
const GERMAN = 'Guten Tag, die Rechnung für März ist doppelt abgebucht worden. Bitte erstatten Sie den Betrag.';

function base(text = GERMAN) {
  const mapped = mapHighlight({ conversation, lastMessage: { id: 'msg_1', createdAt: 1_700_000_050, text } }, { maxTextLength: 4000, labelRules: [], detectLanguage });
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.highlight;
}
const detectLanguage = await loadLanguageDetector();
const facts = conversationFacts(conversation, [{ id: 'inb_1', name: 'Support' }]);
const rules = (over: Partial<SubscriptionRules['scope']> = {}, labelRules: SubscriptionRules['labelRules'] = []): SubscriptionRules => ({
  scope: { inboxes: [], tags: [], excludeTags: [], statuses: [], ...over },
  labelRules,
});

describe('custom fields and language', () => {
  it('scope.customFields takes a conversation whose fields hold one of the values, any case, as Front typed them', () => {
    expect(subscriptionHighlight(base(), facts, rules({ customFields: { Plan: ['pro', 'enterprise'] } }))).not.toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ customFields: { Plan: 'Enterprise', Seats: 40, isVIP: true } }))).not.toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ customFields: { Plan: 'Free' } }))).toBeNull();
    expect(subscriptionHighlight(base(), facts, rules({ customFields: { Region: 'EMEA' } }))).toBeNull();
  });

  it('labels by customField and by language; a rule that does not hold adds nothing', () => {
    const h = subscriptionHighlight(base(), facts, rules({}, [
      { when: { customField: { Plan: 'Enterprise' } }, label: 'enterprise' },
      { when: { customField: { isVIP: true } }, label: 'vip' },
      { when: { customField: { Plan: 'Free' } }, label: 'free' },
      { when: { language: 'de' }, label: 'german' },
      { when: { language: 'fr' }, label: 'french' },
    ]))!;
    expect(h.language).toBe('de');
    expect(h.labels).toEqual(['enterprise', 'german', 'vip']);
    // A text too short to tell has no language, so no language rule applies.
    const short = subscriptionHighlight(base('Danke!'), facts, rules({}, [{ when: { language: 'de' }, label: 'german' }]))!;
    expect(short.language).toBeNull();
    expect(short.labels).toEqual([]);
  });
});

describe('scope.teams', () => {
  const inboxes = [
    { id: 'inb_1', name: 'Support', _links: { related: { owner: 'https://x/teams/tim_support' } } },
    { id: 'inb_2', name: 'Billing', _links: { related: { owner: 'https://x/teams/tim_support' } } },
    { id: 'inb_3', name: 'Sales', _links: { related: { owner: 'https://x/teams/tim_success' } } },
  ] as FrontInbox[];
  const directory = {
    teams: [{ id: 'tim_support', name: 'Support' }, { id: 'tim_success', name: 'Success' }, { id: 'tim_empty', name: 'Legal' }],
    inboxesOf: new Map([['tim_support', inboxes.slice(0, 2)], ['tim_success', inboxes.slice(2)]]),
    teamOf: new Map([['inb_1', 'Support'], ['inb_2', 'Support'], ['inb_3', 'Success']]),
  };
  const sub = (teams: string[], inboxIds: string[] = []) => ({ scope: { inboxes: inboxIds, teams, tags: [], excludeTags: [], statuses: [], customFields: {} } });

  it("becomes the union of the teams' inboxes (and scope.inboxes), any case", () => {
    expect(resolveScopeTeams(sub(['support']), directory).scope).toMatchObject({ teams: ['Support'], inboxes: ['inb_1', 'inb_2'] });
    expect(resolveScopeTeams(sub(['Success'], ['inb_9']), directory).scope.inboxes).toEqual(['inb_9', 'inb_3']);
  });

  it('an unknown team, or one owning no inbox the token sees, is refused with the nearest names', () => {
    expect(() => resolveScopeTeams(sub(['Sucess']), directory)).toThrow(UsageError);
    expect(() => resolveScopeTeams(sub(['Sucess']), directory)).toThrow(/Did you mean Success\?/);
    expect(() => resolveScopeTeams(sub(['Legal']), directory)).toThrow(/owns no inbox/);
  });
});

describe('redaction and versions', () => {
  it('a redacted Highlight is versioned with the settings: turning redaction on gives every Highlight a new version once', () => {
    const plain = base('Please call +49 30 901820 about the refund, the invoice is wrong.');
    const r = createRedactor({ kinds: ['phone'], patterns: [], pseudonymize: false }, [], null);
    const redacted = redactedBase(plain, r);
    expect(redacted.text).toBe('Please call [phone] about the refund, the invoice is wrong.');
    expect(redacted.version).toBe(highlightVersion(redacted, r.fingerprint));
    // Even a Highlight with nothing to redact gets a new version, so each is re-sent once.
    const clean = base();
    expect(redactedBase(clean, r).version).not.toBe(clean.version);
    const h = subscriptionHighlight(redacted, facts, { ...rules(), redactor: r })!;
    expect(h.version).toBe(highlightVersion(h, r.fingerprint));
  });
});
