// Issue 11 through the real binary: subscriptions, per-destination delivery, replay, refused items,
// company binding, signed deliveries. Sandbox and receivers on 127.0.0.1.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeAfterEach, scenario } from '../helpers/e2e.ts';

const keep = closeAfterEach();

describe('--to', () => {
  it('a host typed without its scheme exits 2 with the URL it probably meant, before any Front request', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10 } }));
    const r = await s.cli(['backfill', '--since', '2d', '--to', 'next.example.com/v1/highlights']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean https://next.example.com/v1/highlights?');
    expect(existsSync(join(s.work.dir, 'next.example.com'))).toBe(false);
    expect(s.sandbox.control.requestLog()).toHaveLength(0);
  });
});

describe('default state location', () => {
  it('is one state per Front URL, so the sandbox never touches the production default', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 10 } }));
    const r = await s.cli(['backfill', '--since', '2d', '--to', 'out.ndjson'], { FRONT_IMPORT_DB: undefined });
    expect(r.code, r.stderr).toBe(0);
    const state = join(s.work.home, '.local', 'state', 'front-import');
    const port = new URL(s.sandbox.url).port;
    expect(existsSync(join(state, `127.0.0.1_${port}`, 'state.db'))).toBe(true);
    expect(existsSync(join(state, 'state.db'))).toBe(false);
  });
});
