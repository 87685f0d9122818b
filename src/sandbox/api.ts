// The Core API endpoints the sandbox serves (GET only), under the spec's path templates. Handlers
// are synchronous functions of the request: the HTTP plumbing (auth, limits, faults) is server.ts.

import type { Access } from './auth.js';
import { TEAMS } from './extras.js';
import type { LiveWorkspace } from './live-workspace.js';
import { type Conversation, type FrontEventRecord, apiStatusOf, statusCategoryOf } from './model.js';
import { decodePageToken, encodeOffsetToken, encodePageToken, type TokenPosition } from './page-token.js';
import { type SortOrder, countConversations, pageById, pageConversations, pageConversationsAtOffset, pageEvents } from './queries.js';
import type { Quirks } from './quirks.js';
import type { Renderer } from './render.js';
import { parseSearchQuery, searchMatcher } from './search-query.js';
import { itemAt } from '../shared/item-at.js';

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  access: Access;
  /** Path as requested (still percent-encoded) and the full URL, for `_links.self` and `next`. */
  rawPath: string;
  selfUrl: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Route {
  template: string;
  /** Search has its own, smaller budget. */
  isSearch: boolean;
  handle(req: ApiRequest): ApiResponse;
}

export interface ApiDeps {
  ws: LiveWorkspace;
  renderer: Renderer;
  snapshots: 'event-time' | 'read-time';
  /** Origin `next` links point at: the sandbox's own, unless a test says otherwise. */
  nextOrigin(): string;
  quirks: Quirks;
}

const LIST_LIMIT = { default: 50, max: 100 };
const EVENT_LIMIT = { default: 15, max: 15 };
const STATUS_FILTERS = ['assigned', 'unassigned', 'archived', 'trashed'] as const;
const CATEGORY_FILTERS = ['open', 'waiting', 'resolved'] as const;

const badRequest = (message: string) => new ApiError(400, 'Bad request', message);
const notFound = (message: string) => new ApiError(404, 'Not found', message);
const forbidden = (message: string) => new ApiError(403, 'Forbidden', message);

export function createRoutes(deps: ApiDeps): Route[] {
  const { ws, renderer, quirks } = deps;
  const totals = new Map<string, { version: number; total: number }>();

  const ok = (body: unknown): ApiResponse => ({ status: 200, body });
  const visible = (access: Access) => (c: Conversation) => access.privateInboxes || !c.state.inbox.isPrivate;
  const nextUrl = (req: ApiRequest, next: string | null) => {
    const token = quirks.nextToken(req.rawPath, req.query.get('page_token'), next);
    if (token === null) return null;
    const params = new URLSearchParams(req.query);
    params.set('page_token', token);
    return `${deps.nextOrigin()}${req.rawPath}?${params.toString()}`;
  };
  /** A list paged by id (tags, a conversation's messages), `sort_by` limited to `sortable`. */
  const listById = <T extends { id: string }>(req: ApiRequest, items: T[], sortable: string, defaultOrder: SortOrder, render: (item: T) => unknown) => {
    optionalOneOf(req.query, 'sort_by', [sortable]);
    const page = pageById(items, {
      order: sortOrder(req.query, defaultOrder),
      limit: limitOf(req.query, LIST_LIMIT),
      afterId: idToken(req.query, quirks),
    });
    const next = page.next && encodePageToken(0, page.next, quirks.generation);
    return ok(renderer.list(req.selfUrl, page.items.map(render), nextUrl(req, next)));
  };
  const readableConversation = (req: ApiRequest, id: string) => {
    const conversation = ws.conversation(id);
    if (!conversation) throw notFound(`Conversation ${id} not found`);
    if (!visible(req.access)(conversation)) throw forbidden(`This agent is not allowed to read the conversation ${id}`);
    return conversation;
  };

  const listConversations = (req: ApiRequest, inboxId?: string): ApiResponse => {
    const statuses = qValues(req.query, 'statuses');
    const categories = qValues(req.query, 'status_categories');
    for (const s of statuses) oneOf('q[statuses]', s, STATUS_FILTERS);
    for (const c of categories) oneOf('q[status_categories]', c, CATEGORY_FILTERS);
    optionalOneOf(req.query, 'sort_by', ['date']);
    const canSee = visible(req.access);
    const match = (c: Conversation) =>
      canSee(c) &&
      (inboxId === undefined || c.state.inbox.id === inboxId) &&
      (statuses.length === 0 || statuses.includes(statusFilterOf(c))) &&
      (categories.length === 0 || categories.includes(statusCategoryOf(c.state)));
    const order = sortOrder(req.query, 'desc');
    const limit = limitOf(req.query, LIST_LIMIT);
    if (quirks.tokenStyle === 'offset') {
      const offset = offsetToken(req.query, quirks);
      const page = pageConversationsAtOffset(ws, { order, limit, offset, match });
      const results = page.items.map((c) => renderer.conversation(c, c.state));
      const next = page.more ? encodeOffsetToken(offset + page.items.length, quirks.generation) : null;
      // Deleted while the client pages: everything after them moves up, under the next offset.
      if (next) for (const c of page.items.slice(0, quirks.deletesPerPage)) ws.purge(c);
      return ok(renderer.list(req.selfUrl, results, nextUrl(req, next)));
    }
    const page = pageConversations(ws, { order, limit, after: activityToken(req.query, quirks), match });
    const results = page.items.map((c) => renderer.conversation(c, c.state));
    return ok(renderer.list(req.selfUrl, results, nextUrl(req, page.next && encodePageToken(page.next.updatedMs, page.next.id, quirks.generation))));
  };
  const poisonedMessages = (conversationId: string) => {
    if (quirks.isPoisoned(conversationId)) throw notFound(`Messages of conversation ${conversationId} not found`);
  };

  const routes: Route[] = [
    {
      template: '/me',
      isSearch: false,
      handle: () => ok(renderer.identity(ws.company)),
    },
    {
      template: '/inboxes',
      isSearch: false,
      handle: (req) => {
        const inboxes = ws.inboxes.filter((i) => req.access.privateInboxes || !i.isPrivate);
        return ok(renderer.list(req.selfUrl, inboxes.map((i) => renderer.inbox(i)), null));
      },
    },
    {
      template: '/company/statuses',
      isSearch: false,
      handle: (req) => {
        if (!renderer.ticketing) throw notFound('Ticketing is not enabled, therefore, there are no ticket statuses.');
        return ok(renderer.list(req.selfUrl, renderer.statuses(), null));
      },
    },
    {
      template: '/teams',
      isSearch: false,
      handle: (req) => ok(renderer.list(req.selfUrl, TEAMS.map((t) => renderer.teamPreview(t)), null)),
    },
    {
      template: '/teams/{team_id}',
      isSearch: false,
      handle: (req) => {
        const team = TEAMS.find((t) => t.id === req.params.team_id);
        if (!team) throw notFound(`Team ${req.params.team_id} not found`);
        return ok(renderer.team(team, ws.inboxes, ws.teammates));
      },
    },
    {
      template: '/conversations/custom_fields',
      isSearch: false,
      handle: (req) => ok(renderer.list(req.selfUrl, renderer.customFields(), null)),
    },
    {
      template: '/teammates',
      isSearch: false,
      handle: (req) => ok(renderer.list(req.selfUrl, ws.teammates.map((t) => renderer.teammate(t)), null)),
    },
    {
      template: '/tags',
      isSearch: false,
      handle: (req) => listById(req, ws.tags, 'id', 'asc', (t) => renderer.tag(t)),
    },
    {
      template: '/conversations',
      isSearch: false,
      handle: (req) => listConversations(req),
    },
    {
      template: '/inboxes/{inbox_id}/conversations',
      isSearch: false,
      handle: (req) => {
        const inbox = ws.inbox(pathParam(req, 'inbox_id'));
        if (!inbox) throw notFound(`Inbox ${req.params.inbox_id} not found`);
        if (inbox.isPrivate && !req.access.privateInboxes) throw forbidden(`This agent is not allowed to read the inbox ${inbox.id}`);
        return listConversations(req, inbox.id);
      },
    },
    {
      template: '/conversations/search/{query}',
      isSearch: true,
      handle: (req) => {
        const raw = pathParam(req, 'query');
        const parsed = parseSearchQuery(raw);
        if (typeof parsed === 'string') throw badRequest(parsed);
        const canSee = visible(req.access);
        const matches = searchMatcher(parsed);
        const filter = { match: (c: Conversation) => canSee(c) && matches(c), activeAfterMs: parsed.afterMs, activeBeforeMs: parsed.beforeMs };
        const key = `${req.access.privateInboxes}\u0000${raw}`;
        let cached = totals.get(key);
        if (cached?.version !== ws.version) {
          cached = { version: ws.version, total: countConversations(ws, filter) };
          // Queries usually carry a moving after: term; a small cache of recent ones is all that pays.
          if (totals.size >= 1_000) totals.clear();
          totals.set(key, cached);
        }
        const page = pageConversations(ws, { ...filter, order: 'desc', limit: limitOf(req.query, LIST_LIMIT), after: activityToken(req.query, quirks) });
        const results = page.items.map((c) => renderer.conversation(c, c.state));
        const next = page.next && encodePageToken(page.next.updatedMs, page.next.id, quirks.generation);
        return ok(renderer.list(req.selfUrl, results, nextUrl(req, next), cached.total));
      },
    },
    {
      template: '/conversations/{conversation_id}',
      isSearch: false,
      handle: (req) => {
        const conversation = readableConversation(req, pathParam(req, 'conversation_id'));
        return ok(renderer.conversation(conversation, conversation.state));
      },
    },
    {
      template: '/conversations/{conversation_id}/messages',
      isSearch: false,
      handle: (req) => {
        const conversation = readableConversation(req, pathParam(req, 'conversation_id'));
        poisonedMessages(conversation.id);
        return listById(req, conversation.messages, 'created_at', 'desc', (m) => renderer.message(m));
      },
    },
    {
      template: '/messages/{message_id}',
      isSearch: false,
      handle: (req) => {
        const message = ws.message(pathParam(req, 'message_id'));
        if (!message) throw notFound(`Message ${req.params.message_id} not found`);
        readableConversation(req, message.conversation.id);
        poisonedMessages(message.conversation.id);
        return ok(renderer.message(message));
      },
    },
    {
      template: '/events',
      isSearch: false,
      handle: (req) => {
        requireEvents(req.access);
        optionalOneOf(req.query, 'sort_by', ['created_at']);
        const types = qValues(req.query, 'types');
        const inboxes = qValues(req.query, 'inboxes');
        const canSee = (e: FrontEventRecord) => req.access.privateInboxes || !e.state.inbox.isPrivate;
        const page = pageEvents(ws, {
          order: sortOrder(req.query, 'desc'),
          limit: limitOf(req.query, EVENT_LIMIT),
          after: eventToken(req.query, quirks),
          afterSeconds: secondsParam(req.query, 'after'),
          beforeSeconds: secondsParam(req.query, 'before'),
          match: (e) =>
            canSee(e) && (types.length === 0 || types.includes(e.type)) && (inboxes.length === 0 || inboxes.includes(e.state.inbox.id)),
        });
        const results = page.items.map((e) => renderer.event(e, deps.snapshots));
        return ok(renderer.list(req.selfUrl, results, nextUrl(req, page.next && encodePageToken(page.next.emittedMs, page.next.id, quirks.generation))));
      },
    },
    {
      template: '/events/{event_id}',
      isSearch: false,
      handle: (req) => {
        requireEvents(req.access);
        const event = ws.event(pathParam(req, 'event_id'));
        if (!event || (event.state.inbox.isPrivate && !req.access.privateInboxes)) {
          throw notFound(`Event ${req.params.event_id} not found`);
        }
        return ok(renderer.event(event, deps.snapshots));
      },
    },
  ];
  return routes;
}

/** The route for a path, with its decoded parameters. */
export function matchRoute(routes: readonly Route[], path: string): { route: Route; params: Record<string, string> } | null {
  const segments = path.split('/').slice(1);
  for (const route of routes) {
    const parts = route.template.split('/').slice(1);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = parts.every((part, i) => {
      const segment = itemAt(segments, i);
      if (part.startsWith('{')) {
        const value = safeDecode(segment);
        params[part.slice(1, -1)] = value ?? '';
        return segment !== '' && value !== null;
      }
      return part === segment;
    });
    if (fits) return { route, params };
  }
  return null;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function statusFilterOf(c: Conversation): string {
  const status = apiStatusOf(c.state);
  return status === 'deleted' ? 'trashed' : status;
}

function requireEvents(access: Access): void {
  if (!access.events) throw forbidden('This API token is missing the scope events:*:read required to list events');
}

/** Values of `q[name][]` and `q[name]` (Front accepts both). */
function qValues(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(`q[${name}][]`), ...query.getAll(`q[${name}]`)];
}

function oneOf<T extends string>(param: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw badRequest(`${param} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

function optionalOneOf(query: URLSearchParams, param: string, allowed: readonly string[]): void {
  const value = query.get(param);
  if (value !== null) oneOf(param, value, allowed);
}

function sortOrder(query: URLSearchParams, fallback: SortOrder): SortOrder {
  const value = query.get('sort_order');
  return value === null ? fallback : oneOf('sort_order', value, ['asc', 'desc'] as const);
}

/** A path parameter the route's template names (matchRoute sets every one it names). */
function pathParam(req: ApiRequest, name: string): string {
  const value = req.params[name];
  if (value === undefined) throw new RangeError(`the route's template has no {${name}}`);
  return value;
}

function limitOf(query: URLSearchParams, bounds: { default: number; max: number }): number {
  const raw = query.get('limit');
  if (raw === null) return bounds.default;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > bounds.max) throw badRequest(`limit must be a whole number from 1 to ${bounds.max}`);
  return n;
}

function secondsParam(query: URLSearchParams, name: 'after' | 'before'): number | undefined {
  const raw = query.get(`q[${name}]`);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw badRequest(`q[${name}] must be a unix timestamp in seconds`);
  return n;
}

function rawToken(query: URLSearchParams, quirks: Quirks): TokenPosition | null {
  const token = query.get('page_token');
  if (token === null) return null;
  const position = decodePageToken(token);
  if (!position) throw badRequest('page_token is invalid');
  if (position.generation < quirks.generation) throw badRequest('page_token has expired');
  return position;
}

/** A keyset position; an offset token (issued before the style changed) is refused like a foreign one. */
function keysetToken(query: URLSearchParams, quirks: Quirks): { ms: number; id: string } | null {
  const p = rawToken(query, quirks);
  if (p && !('id' in p)) throw badRequest('page_token is invalid');
  return p;
}

function activityToken(query: URLSearchParams, quirks: Quirks) {
  const p = keysetToken(query, quirks);
  return p && { updatedMs: p.ms, id: p.id };
}

function eventToken(query: URLSearchParams, quirks: Quirks) {
  const p = keysetToken(query, quirks);
  return p && { emittedMs: p.ms, id: p.id };
}

function idToken(query: URLSearchParams, quirks: Quirks): string | null {
  return keysetToken(query, quirks)?.id ?? null;
}

function offsetToken(query: URLSearchParams, quirks: Quirks): number {
  const p = rawToken(query, quirks);
  if (p && !('offset' in p)) throw badRequest('page_token is invalid');
  return p?.offset ?? 0;
}
