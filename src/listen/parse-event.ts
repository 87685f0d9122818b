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
/**
 * Front's event bodies nest about ten levels (event, conversation, links, message, its parts). A
 * body nested far deeper is hostile: 50,000 levels overflow the stack of every recursive step that
 * walks it after parsing (JSON.stringify when it is queued, for one).
 */
export const MAX_NESTING = 100;

export function parseWebhookEvent(rawBody: Buffer): ParsedEvent {
  if (nestingOver(rawBody, MAX_NESTING)) return { ok: false, reason: `body nests deeper than ${MAX_NESTING} levels` };
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
  // Ids and the type are stored as text: PostgreSQL cannot hold a NUL byte, and Front's ids never
  // carry a control character, so such a body is refused rather than failing (500, retried for ever).
  const controlIn = [['event id', eventId], ['event type', type], ['conversation id', conversationId]].find(([, v]) => v !== null && CONTROL.test(v));
  if (controlIn) return { ok: false, reason: `${controlIn[0]} contains a control character` };
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 and DEL are what a log line or a store key must not carry; \p{Cc} would also refuse the C1 range, which these ids never held before.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Whether the JSON text opens more than `max` arrays or objects inside one another (strings skipped). */
function nestingOver(bytes: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: the next byte is escaped
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      if (++depth > max) return true;
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
