// The conversation row's Highlight (mapped without labels) as stored: only what cannot be rebuilt
// from the rest of the row. What goes (measured on a 5,599-conversation backfill, schema v6, see
// bench/lib/state-shares.mjs): the keys every Highlight of a conversation has by construction (id,
// conversationId, schemaVersion, source, sourceUrl, the empty labels; version is a column of its own),
// about 180 bytes; and the text and its author when they are the stored message's (the text cut at
// the recorded length), which the row already holds in last_message: about 250 bytes more. Decoding
// gives back the very Highlight that was stored, key order included (the bytes sent on replay):
// `encodeHighlight` checks that before leaving anything out, and keeps the Highlight whole otherwise.

import { sourceUrlOf } from '../highlight/source-url.js';
import { SCHEMA_VERSION, type Highlight } from '../highlight/types.js';
import type { StoredMessage } from './types.js';

/** The keys a stored form may leave out (rebuilt from the row) or keep. */
type Rebuilt = 'id' | 'version' | 'conversationId' | 'schemaVersion' | 'source' | 'sourceUrl' | 'labels' | 'text' | 'textAuthor';

/** The stored form: a Highlight's fields, the rebuilt ones maybe left out; `textCut` says where the text is. */
type StoredFields = Omit<Highlight, Rebuilt> & Partial<Pick<Highlight, Rebuilt>> & {
  /** [0: the latest message's text | 1: the text message's, code units kept]; "…" follows when textTruncated. */
  textCut?: [0 | 1, number];
  /** The text's author is that message's author. */
  authorFromText?: true;
};

const ELLIPSIS = '…';

/** The stored row's payload text for `h`, given the row's last message (null: none stored). */
export function encodeHighlight(h: Highlight, lastMessage: StoredMessage | null): string {
  const { id: _id, version: _version, conversationId: _cid, schemaVersion: _schema, source: _source, sourceUrl, labels, text, textAuthor, ...rest } = h;
  const stored: StoredFields = { ...rest };
  if (sourceUrl !== sourceUrlOf(h.conversationId)) stored.sourceUrl = sourceUrl;
  if (labels.length > 0) stored.labels = labels;
  const cut = textCutOf(text, h.textTruncated, lastMessage);
  if (cut) stored.textCut = cut;
  else stored.text = text;
  const source = cut ? textMessage(cut[0], lastMessage) : null;
  if (source && sameJson(source.author ?? null, textAuthor)) stored.authorFromText = true;
  else stored.textAuthor = textAuthor;
  const encoded = JSON.stringify(stored);
  // Anything this scheme cannot give back byte for byte is kept whole.
  return JSON.stringify(decodeHighlight(encoded, h.conversationId, h.version, lastMessage)) === JSON.stringify(h) ? encoded : JSON.stringify(h);
}

/** The Highlight a row stores; `payload` may also be a whole Highlight (rows written before schema v7, or kept whole). */
export function decodeHighlight(payload: string, conversationId: string, version: string, lastMessage: StoredMessage | null): Highlight {
  const s = JSON.parse(payload) as StoredFields;
  if (typeof s.id === 'string') return s as Highlight;
  const source = s.textCut ? textMessage(s.textCut[0], lastMessage) : null;
  const text = s.textCut ? (source?.text ?? '').slice(0, s.textCut[1]) + (s.textTruncated ? ELLIPSIS : '') : (s.text ?? '');
  // Exactly the key order of highlight/map.ts: it is the order serialised and sent.
  return {
    id: `front:${conversationId}`,
    version,
    schemaVersion: SCHEMA_VERSION,
    source: 'front',
    conversationId,
    title: s.title,
    text,
    textTruncated: s.textTruncated,
    textAuthor: s.authorFromText ? (source?.author ?? null) : (s.textAuthor ?? null),
    requester: s.requester,
    assignee: s.assignee,
    participants: s.participants,
    status: s.status,
    statusName: s.statusName,
    statusCategory: s.statusCategory,
    tags: s.tags,
    labels: s.labels ?? [],
    customFields: s.customFields,
    ticketIds: s.ticketIds,
    links: s.links,
    team: s.team,
    language: s.language,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    lastMessageAt: s.lastMessageAt,
    sourceUrl: s.sourceUrl ?? sourceUrlOf(conversationId),
  };
}

function textMessage(which: 0 | 1, lastMessage: StoredMessage | null): StoredMessage | null {
  return which === 0 ? lastMessage : (lastMessage?.textSource?.message ?? null);
}

/** Where the Highlight's text sits in a stored message, if it is that message's text cut at some length. */
function textCutOf(text: string, truncated: boolean, lastMessage: StoredMessage | null): [0 | 1, number] | null {
  const kept = truncated ? (text.endsWith(ELLIPSIS) ? text.slice(0, -ELLIPSIS.length) : null) : text;
  if (kept === null) return null;
  for (const which of [1, 0] as const) {
    const message = textMessage(which, lastMessage);
    if (message?.text.startsWith(kept)) return [which, kept.length];
  }
  return null;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
