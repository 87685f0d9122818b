// The search syntax of GET /conversations/search/{query}, the subset the sandbox supports:
// after:<unix> before:<unix> inbox:<inb_id> tag:<tag_id> is:open|archived|assigned|unassigned|trashed,
// and free words matched against the subject. Several inbox: terms mean any of them; everything
// else must all hold.

import type { Conversation } from './model.js';

export type IsFilter = 'open' | 'archived' | 'assigned' | 'unassigned' | 'trashed';
const IS_FILTERS: readonly IsFilter[] = ['open', 'archived', 'assigned', 'unassigned', 'trashed'];

export interface SearchQuery {
  afterMs?: number;
  beforeMs?: number;
  inboxes: string[];
  tags: string[];
  is: IsFilter[];
  words: string[];
}

/** The parsed query, or an error message for the 400 answer. */
export function parseSearchQuery(raw: string): SearchQuery | string {
  const query: SearchQuery = { inboxes: [], tags: [], is: [], words: [] };
  for (const term of raw.split(/\s+/).filter(Boolean)) {
    const colon = term.indexOf(':');
    const key = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
    const value = term.slice(colon + 1);
    switch (key) {
      case 'after':
      case 'before': {
        const secondsValue = Number(value);
        if (value === '' || !Number.isFinite(secondsValue)) return `${key}: expects a unix timestamp, got "${value}"`;
        query[key === 'after' ? 'afterMs' : 'beforeMs'] = secondsValue * 1000;
        break;
      }
      case 'inbox':
        query.inboxes.push(value);
        break;
      case 'tag':
        query.tags.push(value);
        break;
      case 'is':
        if (!IS_FILTERS.includes(value as IsFilter)) return `is: expects one of ${IS_FILTERS.join(', ')}, got "${value}"`;
        query.is.push(value as IsFilter);
        break;
      default:
        query.words.push(term.toLowerCase());
    }
  }
  return query;
}

function isMatch(filter: IsFilter, c: Conversation): boolean {
  const { status, assignee } = c.state;
  switch (filter) {
    case 'open':
      return status === 'open';
    case 'archived':
      return status === 'archived';
    case 'trashed':
      return status === 'deleted';
    case 'assigned':
      return assignee !== null;
    case 'unassigned':
      return assignee === null;
  }
}

/** Everything but the time bounds, which the caller turns into index ranges. */
export function searchMatcher(query: SearchQuery): (c: Conversation) => boolean {
  return (c) =>
    (query.inboxes.length === 0 || query.inboxes.includes(c.state.inbox.id)) &&
    query.tags.every((tag) => c.state.tags.some((t) => t.id === tag)) &&
    query.is.every((f) => isMatch(f, c)) &&
    query.words.every((w) => c.subject.toLowerCase().includes(w));
}
