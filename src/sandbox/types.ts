// The sandbox's public contract: options, the handle, the control API and the truth snapshot.
// Other areas' tests code against these, so shapes here change only with notice.

import type { TagResponse, TeammateResponse } from '../front-api/index.js';
import type { ServedConversation, ServedInbox, ServedMessage } from './served.js';
import type { Plan } from '../front-api/plans.js';
import type { LimiterModel } from './limiter-models.js';
import type { CyclicNext, PageTokenStyle } from './quirks.js';
import type { OAuthIssued, OAuthSettings, OAuthStats } from './oauth.js';
import type { RetryAfterFormat } from './rate-limit.js';

export type { CyclicNext, LimiterModel, OAuthIssued, OAuthSettings, OAuthStats, PageTokenStyle, RetryAfterFormat };

export interface FaultSettings {
  /** Fraction of requests answered 500/502/503. */
  errorRate: number;
  /** Added to every response. */
  latencyMs: number;
  /** Fraction of requests whose socket is destroyed without an answer. */
  resetRate: number;
  /** Fraction of requests answered 200 with a truncated JSON body. */
  malformedRate: number;
  /** Fraction of requests that do not answer for `hangMs`. */
  hangRate: number;
  hangMs: number;
}

export interface SandboxOptions {
  /** Same seed + same `now` => identical workspace. Default 1. */
  seed?: number | string;
  conversations?: number;
  /** Activity is spread over the last `days` days before `now()`. */
  days?: number;
  /** At least one is private when there are two or more. */
  inboxes?: number;
  plan?: Plan;
  /** Length of the rate window; tests compress it. Default 60000. */
  windowMs?: number;
  /** false = no limits and no rate-limit headers at all. */
  rateLimit?: boolean;
  /** How the company budget is counted (company-limit.ts). Default 'fixed'. */
  limiter?: LimiterModel;
  /** The sandbox's clock runs this far ahead of `now` (negative: behind). Default 0. */
  clockSkewMs?: number;
  /** Conversation listings' page tokens: keyset positions (default) or offsets. */
  pageTokens?: PageTokenStyle;
  /** The conversation embedded in events: as it was right after the event, or as it is now. */
  eventSnapshots?: 'event-time' | 'read-time';
  /** Ticketing on (default): conversations carry a status id and category, /company/statuses lists them; off: 404. */
  ticketing?: boolean;
  port?: number;
  host?: string;
  /** Clock in ms. */
  now?: () => number;
  faults?: Partial<FaultSettings>;
  /** Front's OAuth endpoints (oauth.ts): access-token lifetime, refresh-token mode, auto-approve. */
  oauth?: Partial<OAuthSettings>;
  /**
   * How dense the message stream is. A number: that many messages in every conversation. A list:
   * the window cut into equal slices, oldest first, conversations in slice i having list[i]
   * messages (e.g. [2, 40]: email-like first half, chat-heavy second half). Default: 1 to 12, mean 4.
   */
  messagesPerConversation?: number | number[];
  /** Plant personal data and look-alikes in about one inbound message in three (extras.ts). Default false. */
  pii?: boolean;
}

export type TokenLabel = 'full' | 'noPrivate' | 'noEvents' | 'noCustomFields' | 'revoked';

export interface SandboxHandle {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  tokens: Record<TokenLabel, string>;
  /** The Front app's OAuth credentials (`/oauth/authorize`, `/oauth/token` on `url`). */
  oauth: { clientId: string; clientSecret: string };
  control: SandboxControl;
  close(): Promise<void>;
}

/** Status a control call may set; 'spam' is outside the spec's enum on purpose (real Front sends it). */
export type ControlStatus = 'archived' | 'open' | 'deleted' | 'spam';

export interface NewMessage {
  /** HTML. Without `text`, the message has no `text` field. */
  body?: string;
  /** Plain text. Without `body`, the body is this text, HTML-escaped. */
  text?: string;
  /** Default true. */
  inbound?: boolean;
}

export interface NewConversation {
  /** Inbox id or name; default the first public inbox. */
  inbox?: string;
  subject?: string;
  /** How many generated messages, or these messages in order. Default 1. */
  messages?: number | NewMessage[];
  /** Tag names (created when unknown) or ids. */
  tags?: string[];
  /** Teammate id. */
  assignee?: string | null;
  status?: ControlStatus;
  recipient?: { name?: string | null; handle: string } | null;
  /** Custom fields by name (Plan, Region, Seats, isVIP, Product area). */
  customFields?: Record<string, string | number | boolean>;
  ticketIds?: string[];
}

/** 'no-pagination': a 200 list answer without its `_pagination` object (a malformed page). */
export type FailKind = 'status' | 'reset' | 'malformed' | 'hang' | 'no-pagination';

export interface FailNextRule {
  /** Substring of the request path, or a path template such as `/conversations/{conversation_id}`. */
  path?: string;
  /** For kind 'status' (default 500). */
  status?: number;
  count: number;
  kind?: FailKind;
}

/** 'oauth': a live OAuth access token; 'expired': one past its expiry (answered 401). */
export type LoggedToken = TokenLabel | 'oauth' | 'expired' | 'unknown' | 'none';

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The spec's path template, e.g. `/conversations/{conversation_id}`; null for unknown paths. */
  pathTemplate: string | null;
  /** Repeated parameters become arrays. */
  query: Record<string, string | string[]>;
  /** 0 when the socket was destroyed without an answer. */
  status: number;
  token: LoggedToken;
  /** ms, from the sandbox clock. */
  at: number;
}

export interface WebhookTarget {
  url: string;
  /** app: the app's signing secret. rule: the rule's shared secret, sent as the URL's last path segment. */
  secret: string;
  /**
   * app (default): application webhooks, signed event previews after a validation challenge.
   * rule: a rule's "send to a webhook" with event previews; rule-full: the same with full event
   * data (the conversation as at the event and, for message events, the message).
   */
  kind?: 'app' | 'rule' | 'rule-full';
}

export interface WebhookDelivery {
  /** null for the validation (challenge) request sent when the webhook is set. */
  eventId: string | null;
  type: string;
  /** HTTP status of the receiver's answer; 0 when it could not be reached. */
  status: number;
  /** For the validation request: the receiver echoed the challenge. */
  challengeAnswered?: boolean;
}

export type TruthMessage = ServedMessage & {
  /** The writer's own words, as front-import should extract them; null for content set through the control API. */
  own_words: string | null;
};

export type TruthConversation = ServedConversation & {
  inbox_id: string;
  /** Oldest first. */
  messages: TruthMessage[];
};

export interface TruthEvent {
  id: string;
  type: string;
  emitted_at: number;
  conversation_id: string;
  /** The conversation's inbox right after the event. */
  inbox_id: string;
  target: { type: 'message' | 'tag' | 'teammate' | 'inbox'; id: string } | null;
}

export interface SandboxTruth {
  company: { id: string; name: string };
  inboxes: ServedInbox[];
  teammates: TeammateResponse[];
  tags: TagResponse[];
  /** As `GET /conversations/{id}` shows them now (full token), plus inbox and messages. */
  conversations: TruthConversation[];
  /** Oldest first. */
  events: TruthEvent[];
}

export interface SandboxControl {
  addConversation(spec?: NewConversation): string;
  addMessage(conversationId: string, message?: NewMessage): string;
  setStatus(conversationId: string, status: ControlStatus): void;
  tag(conversationId: string, tagName: string): void;
  untag(conversationId: string, tagName: string): void;
  assign(conversationId: string, teammateId: string | null): void;
  /** Raw hook for hostile-data tests: no event, no bump; `text` replaces the text (absent when omitted). */
  setMessageBody(messageId: string, body: string, text?: string): void;
  /**
   * Raw hook for hostile-data tests: the conversation's tags become these names (created when
   * unknown), with no event and no bump, so a huge tag list costs one state instead of one per tag.
   */
  setTags(conversationId: string, tagNames: string[]): void;

  setFaults(faults: Partial<FaultSettings>): void;
  failNext(rule: FailNextRule): void;
  /** Drops every fault: random settings back to none, pending failNext rules and throttles. */
  clearFaults(): void;
  throttleNext(opts: { count: number; retryAfterSeconds: number }): void;
  /** Every API request but GET /me waits unanswered (logged with status 0) until releaseRequests(). */
  holdRequests(): void;
  releaseRequests(): void;
  /** Requests per window that other integrations of the company consume in the background. */
  setOtherLoad(requestsPerWindow: number): void;
  /** `_pagination.next` points at this origin instead of the sandbox's own (null = back to normal). */
  setForeignNextOrigin(origin: string | null): void;

  /** Counts the company budget under another model from now on (a fresh budget). */
  setRateLimiter(model: LimiterModel): void;
  /** How 429s carry retry-after: 'seconds' (default), 'http-date' (on the sandbox's clock) or 'none'. */
  setRetryAfter(format: RetryAfterFormat): void;
  /** The sandbox's clock (Date headers, event times, rate windows) runs `ms` ahead of the machine's; negative = behind. */
  setClockSkew(ms: number): void;
  /** Every page token issued so far is refused from now on with 400 "page_token has expired". */
  expirePageTokens(): void;
  /** Conversation listings page by keyset (default) or by offset, which shifts when items before it are deleted. */
  setPageTokens(style: PageTokenStyle): void;
  /**
   * With offset tokens: after each conversation-listing page that has a next page, the first
   * `perPage` conversations on it are deleted for good (gone from listings, lookups and truth).
   */
  setDeletesDuringPaging(perPage: number): void;
  /** The listing at `path` links its page `length` back to page 1 (a cycle of `length` pages); null = off. */
  setCyclicNext(cycle: CyclicNext | null): void;
  /** The conversation stays readable but its messages answer 404 (both /messages/{id} and its message list). */
  poisonConversation(conversationId: string, poisoned?: boolean): void;

  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  truth(): SandboxTruth;
  /** Changes the OAuth app's behaviour (lifetime, refresh-token mode, auto-approve, held or failing token requests). */
  configureOAuth(settings: Partial<OAuthSettings>): void;
  /** An admin uninstalls the app: every OAuth token stops working (refresh answers invalid_grant). */
  revokeOAuth(): void;
  oauthStats(): OAuthStats;
  /** Lets every held token request go on (configureOAuth({hold})). */
  releaseOAuth(): void;
  /** Every access token issued so far expires now (its next API call answers 401); refresh tokens stay good. */
  expireOAuth(): void;
  /** Every access and refresh token the app issued, to search outputs and files for. */
  oauthIssued(): OAuthIssued;

  setWebhook(target: WebhookTarget | null): void;
  flushWebhooks(): Promise<void>;
  webhookLog(): WebhookDelivery[];
}
