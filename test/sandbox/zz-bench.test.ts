import { test } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
test('bench', async () => {
  for (const n of [5000, 50000]) {
    let t = performance.now();
    const sb = await startSandbox({ conversations: n, rateLimit: false });
    console.log(n, 'startup', (performance.now() - t).toFixed(0), 'ms');
    const h = { authorization: `Bearer ${sb.tokens.full}` };
    // listing: pages of 100 + latest message per conversation, 8 in flight
    t = performance.now();
    let next: string | null = sb.url + '/conversations?limit=100';
    let count = 0; let reqs = 0;
    const lastIds: string[] = [];
    while (next) { const b: any = await (await fetch(next, { headers: h })).json(); reqs++; for (const c of b._results) lastIds.push(c._links.related.last_message); next = b._pagination.next; }
    const listMs = performance.now() - t;
    let i = 0;
    await Promise.all(Array.from({ length: 8 }, async () => { while (i < lastIds.length) { const u = lastIds[i++]!; await (await fetch(u, { headers: h })).json(); reqs++; count++; } }));
    const ms = performance.now() - t;
    console.log(n, 'listing+messages', count, 'convs in', ms.toFixed(0), 'ms =>', (count / ms * 1000).toFixed(0), 'conv/s', (reqs / ms * 1000).toFixed(0), 'req/s', 'list', listMs.toFixed(0));
    // events walk
    t = performance.now(); next = sb.url + '/events?sort_order=asc'; let ev = 0;
    while (next) { const b: any = await (await fetch(next, { headers: h })).json(); ev += b._results.length; next = b._pagination.next; if (ev > 60000) break; }
    const ems = performance.now() - t;
    console.log(n, 'events', ev, 'in', ems.toFixed(0), 'ms =>', (ev / ems * 1000).toFixed(0), 'events/s', 'heap', (process.memoryUsage().heapUsed / 1e6).toFixed(0));
    await sb.close();
  }
}, 300000);
