import { describe, expect, it } from 'vitest';
import { covers, fetchCoverage, mergeCoverage } from '../../src/runs/coverage.ts';

const support = { id: 'inb_1', name: 'Support' };
const billing = { id: 'inb_2', name: 'Billing' };
const sub = (inboxes: string[], inboxRule = false) => ({ scope: { inboxes }, labelRules: inboxRule ? [{ when: { inbox: 'x' }, label: 'x' }] : [] });

describe('coverage', () => {
  it('a stream covers subscriptions that need no inbox identity; inbox lanes cover their inboxes (name or id)', () => {
    const stream = fetchCoverage([{ inbox: null }], false, 100, 200);
    expect(covers(stream, sub([]), 100)).toBe(true);
    expect(covers(stream, sub(['Support']), 100)).toBe(false);
    const lanes = fetchCoverage([{ inbox: support }, { inbox: billing }], false, 100, 200);
    expect(covers(lanes, sub(['support', 'inb_2']), 150)).toBe(true);
    expect(covers(lanes, sub(['Sales']), 150)).toBe(false);
    expect(covers(lanes, sub([], true), 150), 'all inboxes with identity').toBe(false);
    expect(covers(fetchCoverage([{ inbox: support }], true, 100, 200), sub([], true), 100)).toBe(true);
  });

  it('does not cover a start earlier than what was fetched', () => {
    expect(covers(fetchCoverage([{ inbox: null }], false, 100, 200), sub([]), 99)).toBe(false);
    expect(covers(undefined, sub([]), 100)).toBe(false);
  });

  it('keeps reaching back while fetches join without a gap over the same lanes, else restarts', () => {
    const first = fetchCoverage([{ inbox: support }], false, 100, 200);
    expect(mergeCoverage(first, fetchCoverage([{ inbox: support }, { inbox: billing }], false, 180, 300))).toMatchObject({ since: 100, until: 300 });
    expect(mergeCoverage(first, fetchCoverage([{ inbox: support }], false, 250, 300))).toMatchObject({ since: 250 });
    expect(mergeCoverage(first, fetchCoverage([{ inbox: billing }], false, 150, 300))).toMatchObject({ since: 150 });
  });
});
