// A page of stored conversations as the subscription's Highlights, and as the lines `replay` writes
// to a file. Pure: the conversion worker (convert-worker.ts) runs the very same functions, so a page
// converted there is byte for byte the page converted here.

import { ndjsonLines } from '../../destinations/ndjson-lines.js';
import type { Highlight } from '../../highlight/types.js';
import { redactedBase } from '../../redact/apply.js';
import { toStoredConversation, type StoredRow } from '../../store/rows.js';
import type { SentItem } from '../../store/roles.js';
import type { ConversationFacts, StoredConversation } from '../../store/types.js';
import { subscriptionHighlight, type SubscriptionRules } from '../prepare/subscription-highlight.js';

/** A stored conversation as the subscription's Highlight, with the version the destination's row held when it was read (null: none, or not asked). */
export interface StateHighlight {
  highlight: Highlight;
  prior: string | null;
}

/** The subscription's Highlights of a page of stored conversations: those in its scope, in the page's order. */
export function stateHighlights(page: readonly StoredConversation[], rules: SubscriptionRules): StateHighlight[] {
  return page.flatMap((c) => {
    // A conversation stored before redaction was turned on is redacted on its way out.
    const base = rules.redactor ? redactedBase(c.highlight, rules.redactor) : c.highlight;
    const h = subscriptionHighlight(base, storedFacts(c), rules);
    return h ? [{ highlight: h, prior: c.deliveryVersion ?? null }] : [];
  });
}

/** A stored conversation's facts; one stored before facts were kept: what its Highlight says (inbox unknown). */
export function storedFacts(c: StoredConversation): ConversationFacts {
  return c.facts ?? { frontStatus: null, tags: c.highlight.tags.map((name) => ({ id: '', name })), inboxes: null };
}

/** A page as a file gets it: the lines to write, and what to record delivered once they are written. */
export interface PageLines {
  /** Each Highlight's id and version, and the version the destination's row held (Outbox.sentDirectly). */
  items: SentItem[];
  /** Their lines (ndjsonLines); empty when none of the page is in the subscription's scope. */
  lines: Uint8Array;
}

export function pageLines(rows: readonly StoredRow[], rules: SubscriptionRules): PageLines {
  const page = stateHighlights(rows.map(toStoredConversation), rules);
  return {
    items: page.map(({ highlight: h, prior }) => ({ id: h.id, version: h.version, prior })),
    lines: ndjsonLines(page.map((s) => s.highlight)),
  };
}

/** Turns pages of rows into PageLines, each promise settling with its own page. */
export interface PageConverter {
  /** How many pages to have read and not yet sent: 1 on this thread; with workers, enough to keep each busy. */
  readonly ahead: number;
  convert(rows: StoredRow[]): Promise<PageLines>;
  /** Stops its workers, if any. */
  close(): Promise<void>;
}

/** Each page converted as it is read, on this thread. */
export function convertHere(rules: SubscriptionRules): PageConverter {
  return {
    ahead: 1,
    convert: async (rows) => pageLines(rows, rules),
    async close() {},
  };
}
