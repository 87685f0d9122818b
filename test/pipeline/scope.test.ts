import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../src/highlight/types.js';
import { inScope, planLanes } from '../../src/pipeline/scope.js';

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
