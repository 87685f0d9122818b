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
    source: h.source,
    conversationId: h.conversationId,
    title: h.title,
    text: h.text,
    requester: h.requester && { name: h.requester.name, handle: h.requester.handle },
    assignee: h.assignee && { id: h.assignee.id, name: h.assignee.name, email: h.assignee.email },
    status: h.status,
    statusCategory: h.statusCategory,
    tags: h.tags,
    labels: h.labels,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
    lastMessageAt: h.lastMessageAt,
    sourceUrl: h.sourceUrl,
  };
  return JSON.stringify(ordered);
}
