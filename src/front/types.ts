// The Front JSON the client reads (src/front-api/types.ts, shared with the sandbox) and the client's
// own readings of it.

import type { FrontConversation } from '../front-api/types.js';

export type * from '../front-api/types.js';

/** Event types that embed a message in `target.data`. */
export const MESSAGE_EVENT_TYPES = ['inbound', 'outbound', 'out_reply'] as const;
/** Id of the conversation's latest message from `_links.related.last_message`, if present. */
export function lastMessageIdOf(conversation: FrontConversation): string | null {
  const link = conversation._links?.related?.last_message;
  if (!link) return null;
  const match = /\/messages\/(msg_[A-Za-z0-9_-]+)/.exec(link);
  return match ? match[1]! : null;
}
