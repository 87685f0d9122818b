// Scenario 8: hostile data from Front. 5 MB bodies, HTML nested thousands deep, broken UTF-16
// (lone surrogates, what invalid UTF-8 decodes to), control characters, 10,000 tags, null wherever
// the spec allows it: each conversation is mapped to a valid Highlight or skipped with a logged
// reason, the run never crashes, and the process's memory stays bounded.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenario, type Scenario, closeAfterEach } from '../helpers/e2e.ts';
import { highlightErrors } from '../helpers/highlight-contract.ts';
import { watchPeakRss } from '../helpers/reliability.ts';

const MB = 1024 * 1024;
/** A run of this workspace without the hostile conversations stays well under this. */
const MAX_RSS_MB = 400;

const keep = closeAfterEach();

/** Control characters a Highlight must not carry (\n and \t are kept in text). */
const CONTROL = /(?![\t\n])\p{Cc}/u;
const isWellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

function addHostile(s: Scenario): Record<string, string> {
  const c = s.sandbox.control;
  const paragraph = '<p>Order 4411 arrived <b>broken</b> &amp; late. </p>';
  const tags = Array.from({ length: 10_000 }, (_, i) => `bulk-tag-${i}`);
  const ids = {
    fiveMbHtml: c.addConversation({ subject: 'Five megabytes of HTML', messages: [{ body: paragraph.repeat(Math.ceil((5 * MB) / paragraph.length)) }] }),
    fiveMbText: c.addConversation({ subject: 'Five megabytes of text', messages: [{ text: 'All work and no play. '.repeat((5 * MB) / 22) }] }),
    nested: c.addConversation({ subject: 'Nested', messages: [{ body: `${'<div><blockquote>'.repeat(20_000)}deep reply${'</blockquote></div>'.repeat(20_000)}` }] }),
    brokenUtf16: c.addConversation({
      subject: 'Broken \uD800 subject \uDFFF end',
      messages: [{ text: 'Lone \uDC00 surrogates \uD83D here' }],
      tags: ['half \uD800 tag'],
      recipient: { name: 'Ren\uD800e', handle: 'rene\uDFFF@example.com' },
    }),
    controls: c.addConversation({
      subject: 'Bell\u0007 NUL\u0000 escape\u001b[31m red\u009b',
      messages: [{ text: 'Line one\r\nLine\u0000 two\u000b\u000c\u001f\r\u2028end' }],
      tags: ['tab\tbell\u0007tag'],
    }),
    tenThousandTags: c.addConversation({ subject: 'Ten thousand tags', messages: 1 }),
    nulls: c.addConversation({ subject: '', recipient: null, assignee: null, messages: [{ body: '', inbound: true }] }),
    nullName: c.addConversation({ subject: '   ', recipient: { name: null, handle: 'someone@example.com' }, messages: [{ text: '\n\n  \n' }] }),
  };
  c.setTags(ids.tenThousandTags, tags);
  // One event after the raw tag change, so the event stream carries the conversation with all its tags.
  c.addMessage(ids.tenThousandTags, { text: 'Which of my tags matter?' });
  return ids;
}

describe('hostile data', () => {
  it.each([
    { strategy: 'events', token: 'full' },
    { strategy: 'listing', token: 'noEvents' },
  ] as const)('$strategy strategy: every hostile conversation mapped to a valid Highlight or skipped with a reason; memory bounded', async ({ strategy, token }) => {
    const s = keep(await scenario({ sandbox: { conversations: 20, seed: 101 }, token, front: { timeoutMs: 10_000 } }));
    const ids = addHostile(s);
    const ndjson = join(s.work.dir, 'hostile.ndjson');
    const run = s.spawn(['backfill', '--since', '8d', '--to', ndjson]);
    const rss = watchPeakRss(run.child.pid!);
    const r = await run.done;
    const peakMb = rss.stop();
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(r.code).toBe(0);

    const bytes = readFileSync(ndjson);
    // Valid UTF-8 throughout: decoding and re-encoding gives the same bytes.
    expect(Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)).toBe(true);
    const highlights = bytes.toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown> & { id: string });
    const byId = new Map(highlights.map((h) => [h.id, h]));
    const skipped = [...r.stderr.matchAll(/(cnv_\w+): not imported: (.*)/g)].map((m) => m[1]);
    const outcomes = Object.entries(ids).map(([name, id]) => ({ name, id, highlight: byId.get(`front:${id}`) }));
    for (const { name, id, highlight } of outcomes) {
      expect(highlight !== undefined || skipped.includes(id), `${name} neither delivered nor skipped with a reason`).toBe(true);
    }
    const problems = highlights.flatMap((h) => {
      const strings = [h.title, h.text, ...(h.tags as string[]), ...Object.values((h.requester as Record<string, string | null>) ?? {})].filter((v): v is string => typeof v === 'string');
      return [
        ...highlightErrors(h).map((e) => `${h.id}: ${e}`),
        ...strings.filter((v) => !isWellFormed(v)).map((v) => `${h.id}: not well-formed: ${JSON.stringify(v.slice(0, 40))}`),
        ...[h.title as string, ...(h.tags as string[])].filter((v) => CONTROL.test(v) || v.includes('\n')).map((v) => `${h.id}: control character in ${JSON.stringify(v.slice(0, 40))}`),
        ...(CONTROL.test(h.text as string) ? [`${h.id}: control character in text`] : []),
      ];
    });
    expect(problems).toEqual([]);

    const tagged = byId.get(`front:${ids.tenThousandTags}`)!;
    expect((tagged.tags as string[]).length).toBe(10_000);
    expect(byId.get(`front:${ids.fiveMbHtml}`)!.text).toMatch(/^Order 4411 arrived broken & late\./);
    // Its words lie past the markup the converter is given (bounded work): no text, but no markup either.
    expect(byId.get(`front:${ids.nested}`)).toMatchObject({ title: 'Nested', text: expect.not.stringMatching(/</) });
    expect(byId.get(`front:${ids.nulls}`)).toMatchObject({ requester: null, assignee: null, title: '(no subject)' });
    expect(byId.get(`front:${ids.nullName}`)!.requester).toEqual({ name: null, handle: 'someone@example.com' });
    if (peakMb !== null) expect(peakMb).toBeLessThan(MAX_RSS_MB);

    console.log(
      `hostile-data (${strategy}): ${outcomes.length} hostile conversations (5 MB HTML, 5 MB text, 20,000-deep HTML, lone surrogates, control characters, 10,000 tags, nulls): ` +
        `${outcomes.filter((o) => o.highlight).length} mapped, ${skipped.length} skipped with a reason, 0 crashes, ${problems.length} contract problems, ` +
        `peak memory ${peakMb ?? 'n/a'} MB, ${(r.ms / 1000).toFixed(1)} s`,
    );
  }, 120_000);
});
