// What marks a conversation as one whose messages Front will not serve (see run/poisoned.ts; what is
// kept about it is store/keys.ts's PoisonedConversation).

import { FrontRequestError } from '../../errors.js';

/** A 404 while reading a conversation's messages: what marks it poisoned. */
export function isUnreadableMessages(err: unknown): err is FrontRequestError {
  return err instanceof FrontRequestError && err.status === 404;
}
