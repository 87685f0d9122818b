// What the client sends Front, checked against Front's OpenAPI spec (spec/front-core-api.json):
// every request the real binary makes in a connect, backfill, scoped backfill and sync.

import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.ts';
import { closeAfterEach, deliveredIds, idsOf, scenario } from '../helpers/e2e.ts';
import { validateRequest } from '../helpers/spec.ts';

const keep = closeAfterEach();

describe("the client's requests match Front's OpenAPI spec", () => {
  it.each([
    ['full', 'events'],
    ['noEvents', 'listing'],
  ] as const)('%s token (%s strategy): connect, backfill, scoped backfill, sync; every page followed', async (token, strategy) => {
    const s = keep(await scenario({ sandbox: { conversations: 120, seed: 57 }, token }));
    const runs = [
      await s.cli(['connect']),
      await s.cli(['backfill', '--since', '8d', '--json']),
      await s.cli(['backfill', '--since', '8d', '--inbox', s.sandbox.control.truth().inboxes[0]!.name]),
      await s.cli(['sync']),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(runs[1]!.stdout).strategy).toBe(strategy);
    expect(deliveredIds(s)).toEqual(idsOf(s.sandbox.control.truth().conversations));

    const log = s.sandbox.control.requestLog();
    expect(log.some((e) => 'page_token' in e.query)).toBe(true);
    const errors = log.flatMap((e) => validateRequest(e.method, urlOf(e)).map((problem) => `${e.method} ${urlOf(e)}: ${problem}`));
    expect(errors).toEqual([]);
  });
});

function urlOf(entry: RequestLogEntry): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(entry.query)) for (const v of [value].flat()) query.append(key, v);
  const search = query.toString();
  return search ? `${entry.path}?${search}` : entry.path;
}
