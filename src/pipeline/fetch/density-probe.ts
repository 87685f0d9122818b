// How dense the window's message stream is, from single events pages taken inside it. The stream's
// first page alone is a poor witness: conversations that began before the window crowd its start,
// and one chat burst fills a page in minutes. A page starting at a few points inside the window
// (all lanes' inboxes in one query) samples where the week actually is.

import { MESSAGE_EVENT_TYPES } from '../../front/types.js';
import type { Sample } from './strategy-cost.js';
import type { EventsApi, Lane, Window } from './source.js';

/** Where inside the window the pages start, as fractions of it. */
export const PROBE_POINTS = [0.25, 0.5, 0.75] as const;

/** One events page at each probe point; the requests are made together. */
export async function probeDensity(api: EventsApi, lanes: Lane[], window: Window, windowEnd: number): Promise<Sample> {
  const length = Math.max(1, windowEnd - window.since);
  const inboxes = lanes.flatMap((lane) => (lane.inbox ? [lane.inbox.id] : []));
  const samples = await Promise.all(
    PROBE_POINTS.map(async (point): Promise<Sample> => {
      const after = window.since + point * length;
      for await (const page of api.events({
        after,
        before: window.until ?? undefined,
        types: MESSAGE_EVENT_TYPES,
        inboxes: inboxes.length > 0 ? inboxes : undefined,
        readAhead: () => false,
      })) {
        const last = page.items[page.items.length - 1];
        const reached = page.next && last ? last.emitted_at : windowEnd;
        return { items: page.items.length, span: Math.max(0, reached - after) / length };
      }
      return { items: 0, span: 1 - point };
    }),
  );
  return { items: samples.reduce((n, s) => n + s.items, 0), span: samples.reduce((n, s) => n + s.span, 0) };
}
