// A subscription whose scope the config widens gets the added part's initial window, not only its
// changes from the cursor on: from the state when the state covers it (no Front request reaching
// back), else from Front, and the run says which; a narrowed scope is said too. The real binary.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeSince, closeAfterEach, importable, latestById, scenario } from '../helpers/e2e.ts';

const keep = closeAfterEach();
const DAY = 86_400_000;

describe('a subscription whose scope changes', () => {
  it('widened tags fill from the state, a narrowed scope is said, widened inboxes fetch their window from Front; nothing sent twice', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 60, seed: 238, rateLimit: false } }));
    const base = `${readFileSync(join(s.work.dir, '.frontsyncrc'), 'utf8')}\nsync:\n  initialWindow: 8d\n`;
    const withScope = (scope: string) => s.work.config(`${base}scope: ${scope}\n`);
    const truth = s.sandbox.control.truth();
    const window = importable(activeSince(s.sandbox, Date.now() - 8 * DAY));
    const tagged = (c: (typeof window)[number], names: string[]) => (c.tags ?? []).some((t) => names.includes(t.name));
    const inbox = (name: string) => truth.inboxes.find((i) => i.name === name)!.id;
    const delivered = () => [...latestById(s.receiver).keys()];
    const idsOf = (list: typeof window) => list.map((c) => `front:${c.id}`);

    withScope('{tags: [refund]}');
    expect((await s.cli(['sync'])).code).toBe(0);
    expect(delivered().sort()).toEqual(idsOf(window.filter((c) => tagged(c, ['refund']))).sort());

    withScope('{tags: [refund, billing]}');
    s.sandbox.control.clearRequestLog();
    const fromState = await s.cli(['sync']);
    expect(fromState.code, fromState.stderr).toBe(0);
    expect(fromState.stdout).toMatch(/subscription default's scope was widened \(tag billing\): \d+ Highlight\(s\) since .* queued from the state, no extra Front requests/);
    expect(delivered()).toEqual(expect.arrayContaining(idsOf(window.filter((c) => tagged(c, ['billing'])))));
    const hourAgo = Date.now() / 1000 - 3600;
    expect(s.sandbox.control.requestLog().filter((e) => e.path === '/events' && Number(e.query['q[after]']) < hourAgo)).toEqual([]);

    withScope('{inboxes: [Support], tags: [refund, billing]}');
    const narrowed = await s.cli(['sync']);
    expect(narrowed.code, narrowed.stderr).toBe(0);
    expect(narrowed.stdout).toMatch(/subscription default's scope was narrowed: conversations only in every inbox but inbox Support are no longer sent/);

    withScope('{inboxes: [Support, Billing], tags: [refund, billing]}');
    const widened = await s.cli(['sync']);
    expect(widened.code, widened.stderr).toBe(0);
    expect(widened.stdout).toMatch(/subscription default's scope was widened \(inbox Billing\): fetching its initial window \(since .*\) from Front/);
    expect(delivered()).toEqual(expect.arrayContaining(idsOf(window.filter((c) => c.inbox_id === inbox('Billing') && tagged(c, ['refund', 'billing'])))));
    const pairs = s.receiver.accepted().map((a) => `${a.id}@${a.version}`);
    expect(new Set(pairs).size, 'nothing sent twice').toBe(pairs.length);
  });
});
