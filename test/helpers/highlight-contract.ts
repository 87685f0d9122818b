// The README's Highlight contract (schema version 3) as an executable check, for tests that read
// Highlights from outside the process (an NDJSON file, a receiver) and must not trust the mapper.

import { Ajv } from 'ajv';

export const KEYS = [
  'id', 'version', 'schemaVersion', 'source', 'conversationId', 'title', 'text', 'textTruncated', 'textAuthor',
  'requester', 'assignee', 'participants', 'status', 'statusName', 'statusCategory', 'tags', 'labels',
  'customFields', 'ticketIds', 'links', 'team', 'language', 'createdAt', 'updatedAt', 'lastMessageAt', 'sourceUrl',
] as const;

const isoUtc = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' };
const sortedStrings = { type: 'array', items: { type: 'string' } };
const nullOr = (schema: object) => ({ anyOf: [{ type: 'null' }, schema] });

const schema = {
  type: 'object',
  additionalProperties: false,
  required: [...KEYS],
  properties: {
    id: { type: 'string', pattern: '^front:cnv_[A-Za-z0-9]+$' },
    version: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    schemaVersion: { const: 3 },
    source: { const: 'front' },
    conversationId: { type: 'string', pattern: '^cnv_[A-Za-z0-9]+$' },
    title: { type: 'string', maxLength: 200 },
    text: { type: 'string', maxLength: 4000 },
    textTruncated: { type: 'boolean' },
    textAuthor: nullOr({
      type: 'object',
      additionalProperties: false,
      required: ['role', 'name', 'handle'],
      properties: { role: { enum: ['customer', 'teammate'] }, name: { type: ['string', 'null'] }, handle: { type: ['string', 'null'] } },
    }),
    requester: nullOr({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'handle'],
      properties: { name: { type: ['string', 'null'] }, handle: { type: 'string', minLength: 1 } },
    }),
    assignee: nullOr({
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'email'],
      properties: { id: { type: 'string', pattern: '^tea_' }, name: { type: 'string' }, email: { type: 'string' } },
    }),
    participants: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'handle', 'role'],
        properties: { name: { type: ['string', 'null'] }, handle: { type: 'string', minLength: 1 }, role: { enum: ['requester', 'cc', 'teammate'] } },
      },
    },
    status: { enum: ['open', 'archived', 'spam', 'trashed'] },
    statusName: { type: ['string', 'null'] },
    statusCategory: { enum: ['open', 'waiting', 'resolved', null] },
    tags: sortedStrings,
    labels: sortedStrings,
    customFields: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    ticketIds: { type: 'array', items: { type: 'string', minLength: 1 } },
    links: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'url'],
        properties: { name: { type: 'string', minLength: 1 }, url: { type: 'string', pattern: '^https?://' } },
      },
    },
    team: sortedStrings,
    language: { anyOf: [{ type: 'null' }, { type: 'string', pattern: '^[a-z]{2}$' }] },
    createdAt: isoUtc,
    updatedAt: isoUtc,
    lastMessageAt: nullOr(isoUtc),
    sourceUrl: { type: 'string', pattern: '^https://app\\.frontapp\\.com/open/cnv_' },
  },
};

const validate = new Ajv({ allErrors: true }).compile(schema);

/** Everything wrong with `value` as a Highlight; empty = it honours the contract. */
export function highlightErrors(value: unknown): string[] {
  if (!validate(value)) return (validate.errors ?? []).map((e) => `${e.instancePath || '(highlight)'} ${e.message ?? 'is invalid'}`);
  const h = value as Record<(typeof KEYS)[number], unknown>;
  const errors: string[] = [];
  if (Object.keys(h).join() !== KEYS.join()) errors.push(`keys out of contract order: ${Object.keys(h).join(', ')}`);
  if (h.id !== `front:${String(h.conversationId)}`) errors.push(`id ${String(h.id)} does not name conversation ${String(h.conversationId)}`);
  if (h.sourceUrl !== `https://app.frontapp.com/open/${String(h.conversationId)}`) errors.push(`sourceUrl ${String(h.sourceUrl)} is not the conversation's link`);
  const handles = (h.participants as { handle: string }[]).map((p) => p.handle.toLowerCase());
  if (new Set(handles).size !== handles.length) errors.push(`participants repeat an address: ${handles.join(', ')}`);
  if (h.textTruncated && !String(h.text).endsWith('…')) errors.push('textTruncated but the text does not end with "…"');
  for (const key of ['tags', 'labels', 'team'] as const) {
    const list = h[key] as string[];
    if (list.join('\n') !== [...list].sort().join('\n')) errors.push(`${key} are not sorted: ${list.join(', ')}`);
  }
  const fieldNames = Object.keys(h.customFields as object);
  if (fieldNames.join('\n') !== [...fieldNames].sort().join('\n')) errors.push(`customFields are not sorted by name: ${fieldNames.join(', ')}`);
  return errors;
}
