// The link back to the Front thread, in a module of its own: the store rebuilds it for every stored
// Highlight, and importing it from map.ts loaded the whole text pipeline (html-to-text,
// email-reply-parser) into every command that opens a state, `status` included.

const SOURCE_URL_BASE = 'https://app.frontapp.com/open/';

export function sourceUrlOf(conversationId: string): string {
  return SOURCE_URL_BASE + encodeURIComponent(conversationId);
}
