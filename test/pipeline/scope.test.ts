import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../src/highlight/types.ts';
import { inScope, planLanes, unionInboxes } from '../../src/pipeline/fetch/scope.ts';

const inboxes = [
  { id: 'inb_1', name: 'Support' },
  { id: 'inb_2', name: 'Billing' },
];

describe('planLanes', () => {
  it('one unfiltered lane when inboxes do not matter', () => {
    expect(planLanes([], null)).toEqual({ lanes: [{ inbox: null }], invisible: [] });
  });
  it('resolves names (any case) and ids; names what the token cannot see', () => {
    expect(planLanes(['support', 'inb_2', 'VIP'], inboxes)).toEqual({
      lanes: [{ inbox: inboxes[0] }, { inbox: inboxes[1] }],
      invisible: ['VIP'],
    });
  });
});

describe('inScope', () => {
  const h = { status: 'open', tags: ['Urgent', 'billing'] } as Highlight;
  const c = { id: 'cnv_1', tags: [{ id: 'tag_9', name: 'Urgent' }] };
  it('filters by status, tag name or id, and excluded tags', () => {
    expect(inScope(h, c, { tags: [], excludeTags: [], statuses: [] })).toBe(true);
    expect(inScope(h, c, { tags: [], excludeTags: [], statuses: ['archived'] })).toBe(false);
    expect(inScope(h, c, { tags: ['urgent'], excludeTags: [], statuses: [] })).toBe(true);
    expect(inScope(h, c, { tags: ['tag_9'], excludeTags: [], statuses: [] })).toBe(true);
    expect(inScope(h, c, { tags: ['refund'], excludeTags: [], statuses: [] })).toBe(false);
    expect(inScope(h, c, { tags: [], excludeTags: ['BILLING'], statuses: [] })).toBe(false);
  });
});

describe('unionInboxes', () => {
  const sub = (inboxes: string[], inboxRule = false) => ({
    scope: { inboxes },
    labelRules: inboxRule ? [{ when: { inbox: 'Support' }, label: 's' }] : [],
  });
  it('one stream when no subscription needs inboxes; every inbox when one takes all and another needs them', () => {
    expect(unionInboxes([sub([]), sub([])])).toBeNull();
    expect(unionInboxes([sub([]), sub(['Support'])])).toEqual([]);
    expect(unionInboxes([sub([], true)])).toEqual([]);
  });
  it('else the union of the scoped inboxes, each once', () => {
    expect(unionInboxes([sub(['Support', 'Billing']), sub(['Billing', 'Sales'], true)])).toEqual(['Support', 'Billing', 'Sales']);
  });
});
