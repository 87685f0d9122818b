import type { Highlight } from './types.js';

/**
 * One Highlight as JSON, keys in contract order (README "The Highlight"), nested objects too, no
 * trailing newline. Built key by key rather than trusting the object's own insertion order, so a
 * Highlight read back from the store serialises byte-for-byte like a freshly mapped one.
 */
export function serializeHighlight(h: Highlight): string {
  const ordered: Highlight = {
    id: h.id,
    version: h.version,
    schemaVersion: h.schemaVersion,
    source: h.source,
    conversationId: h.conversationId,
    title: h.title,
    text: h.text,
    textTruncated: h.textTruncated,
    textAuthor: h.textAuthor && { role: h.textAuthor.role, name: h.textAuthor.name, handle: h.textAuthor.handle },
    requester: h.requester && { name: h.requester.name, handle: h.requester.handle },
    assignee: h.assignee && { id: h.assignee.id, name: h.assignee.name, email: h.assignee.email },
    // A Highlight queued by schema 1 lacks the schema-2 keys; it goes out as it was stored (its
    // version was computed without them), and JSON leaves the undefined keys out.
    participants: h.participants?.map((p) => ({ name: p.name, handle: p.handle, role: p.role })),
    status: h.status,
    statusName: h.statusName,
    statusCategory: h.statusCategory,
    tags: h.tags,
    labels: h.labels,
    // Schema 3's keys; a Highlight queued by an older schema lacks them and goes out as stored.
    customFields: h.customFields && Object.fromEntries(Object.keys(h.customFields).sort().map((k) => [k, h.customFields[k]])),
    ticketIds: h.ticketIds,
    links: h.links?.map((l) => ({ name: l.name, url: l.url })),
    team: h.team,
    language: h.language,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
    lastMessageAt: h.lastMessageAt,
    sourceUrl: h.sourceUrl,
  };
  return JSON.stringify(ordered);
}
