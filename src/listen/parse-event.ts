// Pulls the queue entry out of a webhook body. App webhooks wrap the event preview in `payload`;
// rule webhooks post the preview itself, or (set to send full event data) the event with its
// conversation and, for message events, the message. A preview is only ids: the conversation is
// re-read from the Core API before mapping. Full event data is kept with the entry so the worker
// can import it without a request; it is still never taken over a newer stored state.

import type { FrontConversation, FrontMessage } from '../front/types.js';
import type { FullEventData, NewWebhookEvent } from '../store/types.js';

export type WebhookEvent = Required<NewWebhookEvent>;

export type ParsedEvent = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

const MAX_ID_LENGTH = 200;

export function parseWebhookEvent(rawBody: Buffer): ParsedEvent {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (!isObject(body)) return { ok: false, reason: 'body is not a JSON object' };
  const preview = isObject(body.payload) ? body.payload : body;
  const eventId = preview.id;
  if (!isId(eventId)) return { ok: false, reason: 'no event id' };
  const type = typeof preview.type === 'string' ? preview.type : typeof body.type === 'string' ? body.type : null;
  if (type === null) return { ok: false, reason: 'no event type' };
  const conversation = preview.conversation;
  const conversationId = isObject(conversation) && isId(conversation.id) ? conversation.id : null;
  const emittedAt = typeof preview.emitted_at === 'number' && Number.isFinite(preview.emitted_at) ? preview.emitted_at : null;
  return { ok: true, event: { eventId, type, conversationId, emittedAt, full: conversationId ? fullData(preview) : null } };
}

/**
 * The conversation and message when the body carries them whole: a conversation with its state
 * (status, tags, a link to its latest message), a message with an id and a body. A preview has
 * only ids and links.
 */
function fullData(event: Record<string, unknown>): FullEventData | null {
  const conversation = event.conversation as Record<string, unknown>;
  const links = isObject(conversation._links) && isObject(conversation._links.related) ? conversation._links.related : null;
  const whole = typeof conversation.status === 'string' && Array.isArray(conversation.tags) && typeof conversation.updated_at === 'number' && links !== null;
  if (!whole) return null;
  const target = isObject(event.target) ? event.target : null;
  const data = target && isObject(target._meta) && target._meta.type === 'message' && isObject(target.data) ? target.data : null;
  const message = data && isId(data.id) && (typeof data.body === 'string' || typeof data.text === 'string') ? (data as unknown as FrontMessage) : null;
  return { conversation: conversation as unknown as FrontConversation, message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
