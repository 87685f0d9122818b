// Pulls the queue entry out of a webhook body. App webhooks wrap the event preview in `payload`;
// rule webhooks post the preview itself. Only ids are kept: the conversation is re-read from the
// Core API before mapping, so nothing else in the body is trusted.

export interface WebhookEvent {
  eventId: string;
  type: string;
  conversationId: string | null;
}

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
  return { ok: true, event: { eventId, type, conversationId } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
