// What is kept about conversations whose messages Front will not serve (see run/poisoned.ts): on its
// own so `status` can read it without loading the import pipeline.

import { FrontRequestError } from '../../errors.js';

export const POISONED_META_KEY = 'poisonedConversations';

export interface PoisonedConversation {
  id: string;
  firstSeen: string;
  lastTried: string;
  attempts: number;
  error: string;
}

/** A 404 while reading a conversation's messages: what marks it poisoned. */
export function isUnreadableMessages(err: unknown): err is FrontRequestError {
  return err instanceof FrontRequestError && err.status === 404;
}
