// A time Front's clock has not reached must not freeze a conversation: a rule webhook whose body has
// updated_at a year ahead (or in milliseconds) is read again from Front instead of stored, and a
// state already poisoned that way is healed by the next sync. The real binary, SQLite state.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeAfterEach, importable, latestById, scenario } from '../helpers/e2e.ts';
import { waitUntil } from '../helpers/reliability.ts';
import { RULE_SECRET, send } from './helpers.ts';

const keep = closeAfterEach();
const YEAR_S = 365 * 86_400;

describe('untrusted times', () => {
  it('a rule webhook with updated_at a year ahead or in milliseconds is read again, and a state poisoned that way heals: later changes reach the receiver', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10, seed: 237 }, config: ['listen:', '  port: 0', `  ruleSecret: ${RULE_SECRET}`].join('\n') }));
    const { control } = s.sandbox;
    expect((await s.cli(['sync', '--since', '8d'])).code).toBe(0);
    const [poisoned, future, millis] = importable(control.truth().conversations).slice(0, 3).map((c) => c.id) as [string, string, string];
    const nowS = Date.now() / 1000;

    // A state an earlier version stored from such a body.
    const db = new Database(s.work.db);
    db.prepare('UPDATE conversations SET front_updated_at = ? WHERE conversation_id = ?').run(nowS + YEAR_S, poisoned);
    db.close();

    const listener = s.spawn(['listen']);
    try {
      await waitUntil(() => /listening on http/.test(listener.output().stdout), 15_000, 'listen to start');
      const url = /listening on (http:\/\/\S+)/.exec(listener.output().stdout)![1]!;
      control.clearRequestLog();
      for (const [id, updatedAt] of [[future, nowS + YEAR_S], [millis, Date.now()]] as const) {
        const body = JSON.stringify({
          id: `evt_untrusted_${id}`,
          type: 'inbound',
          emitted_at: nowS,
          conversation: { ...control.truth().conversations.find((c) => c.id === id), id, status: 'unassigned', tags: [], updated_at: updatedAt, _links: { related: { last_message: 'http://x/messages/msg_ahead' } } },
          target: { _meta: { type: 'message' }, data: { id: 'msg_ahead', body: '<p>a body from the future</p>', is_inbound: true, created_at: nowS } },
        });
        expect((await send(`${url}/${RULE_SECRET}`, { headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
      }
      const read = (id: string) => control.requestLog().some((e) => e.path === `/conversations/${id}` && e.status === 200);
      await waitUntil(() => read(future) && read(millis), 20_000, 'both conversations read again from Front');
      await waitUntil(() => /read again/.test(listener.output().stderr), 5_000, 'the case logged');
    } finally {
      listener.child.kill('SIGTERM');
      expect((await listener.done).code).toBe(0);
    }
    for (const id of [poisoned, future, millis]) expect(latestById(s.receiver).get(`front:${id}`)?.text).not.toContain('a body from the future');

    for (const id of [poisoned, future, millis]) control.tag(id, 'after-the-future');
    const sync = await s.cli(['sync']);
    expect(sync.code, sync.stderr).toBe(0);
    for (const id of [poisoned, future, millis]) expect(latestById(s.receiver).get(`front:${id}`)?.tags).toContain('after-the-future');
  });
});
