import { hash } from 'node:crypto';
import type { Highlight } from './types.js';

/**
 * The fields a reader sees change. Deliberately not updatedAt: Front bumps updated_at for things a
 * Highlight does not show, and such a bump must not count as a new version, so unchanged
 * conversations are never re-delivered. Not id, source, conversationId or sourceUrl either: they are
 * fixed for a conversation. Not `team`: it says which teams own the inboxes a run read the
 * conversation in, so two runs reading differently (one subscription alone, or beside another that
 * reads every inbox) would give one conversation two versions and re-send it for no change of its own.
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
  'customFields',
  'ticketIds',
  'links',
  'language',
  'createdAt',
  'lastMessageAt',
] as const;

/** What the mapper fills before the version: the versioned fields and `team`. */
export type HighlightContent = Pick<Highlight, (typeof VERSIONED_FIELDS)[number] | 'team'>;

/**
 * Full SHA-256 (64 lowercase hex characters) over canonical JSON of the versioned fields: an array of
 * [field, value] pairs in the order above, object keys sorted at every level, so the digest depends
 * on the values only, never on how an object happened to be built. Extra properties are ignored.
 * `redaction`: the fingerprint of the redaction settings (redact/redactor.ts), null when off.
 */
export function highlightVersion(content: HighlightContent, redaction: string | null = null): string {
  const pairs: unknown[] = VERSIONED_FIELDS.map((field) => [field, content[field]]);
  // The redaction settings (their digest): turning redaction on or changing it re-sends each
  // Highlight once, redacted. Off, nothing is added, so the digest is what it was without it.
  if (redaction !== null) pairs.push(['redaction', redaction]);
  return hash('sha256', canonicalJson(pairs));
}

/**
 * Every Highlight of every run and replay goes through here, so it is written as loops over one
 * string rather than with entries, filter, map and join (a third of the time per Highlight less).
 */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${canonicalJson(value[i])}`;
    return `${out}]`;
  }
  let out = '{';
  // Sorted by UTF-16 code units, as `<` compares.
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
