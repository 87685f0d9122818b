import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FrontConversation, FrontMessage } from '../../src/front/types.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/front/', import.meta.url));

/** A fresh parse on every call, so a test mutating its copy cannot leak into another. */
export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(FIXTURES + name, 'utf8')) as T;
}

export const conversation = (): FrontConversation => fixture('conversation.json');
export const nullsConversation = (): FrontConversation => fixture('conversation-nulls.json');
export const emailMessage = (): FrontMessage => fixture('message-email.json');
export const chatMessage = (): FrontMessage => fixture('message-chat-html.json');
