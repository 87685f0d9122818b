// Front's endpoints as typed calls over the client: paths and queries per the Core API spec
// (spec/front-core-api.json). `pageUrl` resumes a listing from a saved `next` link, which
// already carries the original query.

import type { FrontClient, FrontPageResult, Query } from './client.js';
import type { FrontConversation, FrontCustomField, FrontEvent, FrontIdentity, FrontInbox, FrontMessage, FrontPage, FrontStatus, FrontTag, FrontTeam } from './types.js';

const LIST_LIMIT = 100;
const EVENTS_LIMIT = 15;

export type Pages<T> = AsyncGenerator<FrontPageResult<T>>;

export interface ConversationListing {
  inboxId?: string;
  /** q[statuses][]: assigned | unassigned | archived | trashed */
  statuses?: string[];
  /** Conversations per page, at most 100 (the default). */
  limit?: number;
  pageUrl?: string;
  /** True when the page after these conversations will be wanted: it is requested ahead. */
  readAhead?: (items: FrontConversation[]) => boolean;
}

export interface EventListing {
  /** Unix seconds, exclusive. */
  after?: number;
  /** Unix seconds, exclusive. */
  before?: number;
  types?: readonly string[];
  inboxes?: readonly string[];
  pageUrl?: string;
  /** Asked as each page arrives: false holds back the request for the next one (default: ahead). */
  readAhead?: () => boolean;
}

export interface FrontApi {
  me(): Promise<FrontIdentity>;
  inboxes(): Promise<FrontInbox[]>;
  /** Newest activity first. */
  conversations(q?: ConversationListing): Pages<FrontConversation>;
  conversation(id: string): Promise<FrontConversation>;
  message(id: string): Promise<FrontMessage>;
  /** The conversation's newest message, or null when it has none. */
  latestMessage(conversationId: string): Promise<FrontMessage | null>;
  /** One page (up to 100) of a conversation's messages, newest (desc) or oldest (asc) first. */
  conversationMessages(conversationId: string, order: 'asc' | 'desc'): Promise<{ messages: FrontMessage[]; more: boolean }>;
  /** The company's ticket statuses; Front answers 404 when ticketing is off. */
  statuses(): Promise<FrontStatus[]>;
  /** Oldest first. */
  events(q?: EventListing): Pages<FrontEvent>;
  /** One event, to learn whether the token may read /events (ScopeError when not). */
  probeEvents(): Promise<void>;
  tags(): Promise<FrontTag[]>;
  /** The company's teams (id, name); which inboxes a team owns is each inbox's `_links.related.owner`. */
  teams(): Promise<FrontTeam[]>;
  /** The conversation custom fields defined in Front (names, types, enum values). */
  conversationCustomFields(): Promise<FrontCustomField[]>;
}

/** Front filters on exact decimals: round `after` down and `before` up so no event falls between. */
function seconds(value: number | undefined, round: (n: number) => number): string | undefined {
  return value === undefined ? undefined : (round(value * 1000) / 1000).toFixed(3);
}

const segment = (id: string) => encodeURIComponent(id);

export function createFrontApi(client: FrontClient): FrontApi {
  const listing = <T>(path: string, query: Query, pageUrl: string | undefined, pageOpts?: { readAhead?: (items: T[]) => boolean }): Pages<T> =>
    pageUrl ? client.pages<T>(pageUrl, undefined, pageOpts) : client.pages<T>(path, query, pageOpts);

  async function all<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    for await (const page of client.pages<T>(path, query)) items.push(...page.items);
    return items;
  }

  return {
    me: () => client.get<FrontIdentity>('/me'),
    inboxes: () => all<FrontInbox>('/inboxes'),
    conversations: ({ inboxId, statuses, limit, pageUrl, readAhead } = {}) => {
      const query: Query = { 'q[statuses]': statuses?.length ? [...statuses] : undefined, limit: Math.min(limit ?? LIST_LIMIT, LIST_LIMIT) };
      // The inbox listing declares no sort parameters: it is newest activity first as it stands.
      if (inboxId) return listing<FrontConversation>(`/inboxes/${segment(inboxId)}/conversations`, query, pageUrl, { readAhead });
      return listing<FrontConversation>('/conversations', { ...query, sort_by: 'date', sort_order: 'desc' }, pageUrl, { readAhead });
    },
    conversation: (id) => client.get<FrontConversation>(`/conversations/${segment(id)}`),
    message: (id) => client.get<FrontMessage>(`/messages/${segment(id)}`),
    async latestMessage(conversationId) {
      const page = await client.get<FrontPage<FrontMessage>>(`/conversations/${segment(conversationId)}/messages`, { limit: 1 });
      return page._results?.[0] ?? null;
    },
    async conversationMessages(conversationId, order) {
      const page = await client.get<FrontPage<FrontMessage>>(`/conversations/${segment(conversationId)}/messages`, {
        limit: LIST_LIMIT,
        sort_by: 'created_at',
        sort_order: order,
      });
      return { messages: page._results ?? [], more: Boolean(page._pagination?.next) };
    },
    statuses: () => all<FrontStatus>('/company/statuses'),
    events: ({ after, before, types, inboxes, pageUrl, readAhead = () => true } = {}) =>
      listing<FrontEvent>(
        '/events',
        {
          'q[after]': seconds(after, Math.floor),
          'q[before]': seconds(before, Math.ceil),
          'q[types]': types?.length ? [...types] : undefined,
          'q[inboxes]': inboxes?.length ? [...inboxes] : undefined,
          sort_by: 'created_at',
          sort_order: 'asc',
          limit: EVENTS_LIMIT,
        },
        pageUrl,
        // The event stream is read to its end, except while a run is still choosing its strategy.
        { readAhead },
      ),
    async probeEvents() {
      await client.get<FrontPage<FrontEvent>>('/events', { limit: 1 });
    },
    tags: () => all<FrontTag>('/tags', { limit: LIST_LIMIT }),
    teams: () => all<FrontTeam>('/teams'),
    conversationCustomFields: () => all<FrontCustomField>('/conversations/custom_fields'),
  };
}
