// What is kept about conversations whose messages Front will not serve (see poisoned.ts): on its
// own so `status` can read it without loading the import pipeline.

export const POISONED_META_KEY = 'poisonedConversations';

export interface PoisonedConversation {
  id: string;
  firstSeen: string;
  lastTried: string;
  attempts: number;
  error: string;
}
