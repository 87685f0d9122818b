// Receivers that refuse the endpoint rather than items, through the real binary: 400 to everything,
// 410 Gone, a 200 that is an HTML page. Each stops the run with exit 6 after a few POSTs, every item
// pending and the cursor where it was; the next run against a working receiver delivers them all.

import { describe, expect, it } from 'vitest';
import { closeAfterEach, importable, scenario, statusOf } from '../helpers/e2e.ts';

const keep = closeAfterEach();

describe('odd receivers', () => {
  it('400 to everything, 410 Gone and a 200 HTML page: exit 6 in a few POSTs, items pending (none refused), cursor unmoved; a working receiver then gets them all', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 236 }, destination: { batchSize: 100, retries: 0 } }));
    expect((await s.cli(['sync', '--since', '8d'])).code).toBe(0);
    const before = await statusOf(s);
    const changed = importable(s.sandbox.control.truth().conversations).slice(0, 12).map((c) => c.id);
    for (const id of changed) s.sandbox.control.tag(id, 'endpoint-refused');

    const answers = [
      { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"unsupported schema version"}' },
      { status: 410, headers: { 'content-type': 'application/json' }, body: '{"error":"this endpoint was retired"}' },
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body>Sign in</body></html>' },
    ];
    const messages = [/refused every part of a batch of 12 the same way \(400: unsupported schema version\)/, /refused the request \(410: this endpoint was retired\)/, /answered 200 with an HTML page, not an acceptance/];
    for (const [i, answer] of answers.entries()) {
      const requestsBefore = s.receiver.requests;
      s.receiver.behave({ script: [answer] });
      const r = await s.cli(['sync']);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toMatch(messages[i]!);
      const posts = s.receiver.requests - requestsBefore;
      expect(posts).toBeLessThanOrEqual(i === 0 ? 2 * Math.ceil(Math.log2(12)) + 1 : 1);
      console.log(`odd-receiver ${answer.status}: exit ${r.code} after ${posts} POSTs for ${changed.length} changed conversations`);
    }
    const after = await statusOf(s);
    expect(after.totals).toMatchObject({ pending: changed.length, failed: 0 });
    expect(after.cursor.value).toBe(before.cursor.value);

    s.receiver.behave({ script: undefined });
    const back = await s.cli(['sync']);
    expect(back.code, back.stderr).toBe(0);
    const tagged = s.receiver.accepted().filter((a) => changed.includes(a.id.replace('front:', '')));
    expect(new Set(tagged.map((a) => a.id)).size).toBe(changed.length);
    expect((await statusOf(s)).totals).toMatchObject({ pending: 0, failed: 0 });
  });
});
