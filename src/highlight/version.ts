import { createHash } from 'node:crypto';
import type { Highlight } from './types.js';

/**
 * The fields a reader sees change. Deliberately not updatedAt: Front bumps updated_at for things a
 * Highlight does not show, and such a bump must not count as a new version, so unchanged
 * conversations are never re-delivered. Not id, source, conversationId or sourceUrl either: they are
 * fixed for a conversation.
 */
const VERSIONED_FIELDS = [
  // First, so the move to a new schema gives every Highlight a new version once (README "Schema 2").
  'schemaVersion',
  'title',
  'text',
  'textTruncated',
  'textAuthor',
  'requester',
  'assignee',
  'participants',
  'status',
  'statusName',
  'statusCategory',
  'tags',
  'labels',
  'createdAt',
  'lastMessageAt',
] as const;

export type HighlightContent = Pick<Highlight, (typeof VERSIONED_FIELDS)[number]>;

/**
 * Full SHA-256 (64 lowercase hex characters) over canonical JSON of the versioned fields: an array of
 * [field, value] pairs in the order above, object keys sorted at every level, so the digest depends
 * on the values only, never on how an object happened to be built. Extra properties are ignored.
 */
export function highlightVersion(content: HighlightContent): string {
  const pairs = VERSIONED_FIELDS.map((field) => [field, content[field]]);
  return createHash('sha256').update(canonicalJson(pairs)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
