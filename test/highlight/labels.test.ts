import { describe, expect, it } from 'vitest';
import { applyLabelRules, type LabelFacts } from '../../src/highlight/labels.ts';

const facts: LabelFacts = {
  tags: ['Billing', 'VIP customer'],
  status: 'trashed',
  frontStatus: 'deleted',
  inboxes: [{ id: 'inb_1ix6', name: 'The Dundies' }],
};

describe('applyLabelRules', () => {
  it('matches tags case-insensitively', () => {
    expect(applyLabelRules([{ when: { tag: 'vip CUSTOMER' }, label: 'vip' }], facts)).toEqual(['vip']);
    expect(applyLabelRules([{ when: { tag: 'vip' }, label: 'vip' }], facts)).toEqual([]);
  });

  it('matches the Highlight status or Front raw status', () => {
    expect(applyLabelRules([{ when: { status: 'trashed' }, label: 'gone' }], facts)).toEqual(['gone']);
    expect(applyLabelRules([{ when: { status: 'deleted' }, label: 'gone' }], facts)).toEqual(['gone']);
    expect(applyLabelRules([{ when: { status: 'open' }, label: 'live' }], facts)).toEqual([]);
  });

  it('matches an inbox by name (any case) or by id', () => {
    expect(applyLabelRules([{ when: { inbox: 'the dundies' }, label: 'a' }], facts)).toEqual(['a']);
    expect(applyLabelRules([{ when: { inbox: 'inb_1ix6' }, label: 'b' }], facts)).toEqual(['b']);
    expect(applyLabelRules([{ when: { inbox: 'inb_other' }, label: 'c' }], facts)).toEqual([]);
  });

  it('requires every condition of a rule', () => {
    const rules = [
      { when: { tag: 'billing', status: 'trashed' }, label: 'both' },
      { when: { tag: 'billing', status: 'open' }, label: 'mismatch' },
    ];
    expect(applyLabelRules(rules, facts)).toEqual(['both']);
  });

  it('never applies a rule without conditions', () => {
    expect(applyLabelRules([{ when: {}, label: 'everything' }], facts)).toEqual([]);
  });

  it('returns labels sorted and unique', () => {
    const rules = [
      { when: { tag: 'billing' }, label: 'zeta' },
      { when: { status: 'trashed' }, label: 'alpha' },
      { when: { inbox: 'inb_1ix6' }, label: 'zeta' },
    ];
    expect(applyLabelRules(rules, facts)).toEqual(['alpha', 'zeta']);
  });
});
