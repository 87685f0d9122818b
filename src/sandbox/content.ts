// Message bodies. Generated text is a pure function of a seed and its context, so the workspace
// stores one number per message and renders the HTML only when someone asks for it.

import { escapeHtml } from './html.js';
import { generateMail, languageOf, type Person } from './mail.js';
import type { Message, MessageContent } from './model.js';

const BLURB_LENGTH = 100;

/** Front's blurb: the start of the text, whitespace collapsed. */
export function blurbOf(plain: string): string {
  return plain.replace(/\s+/g, ' ').trim().slice(0, BLURB_LENGTH);
}

/** Blurb for arbitrary HTML: tags dropped, the commonest entities decoded. Linear, so hostile bodies are safe. */
export function blurbOfHtml(html: string): string {
  const plain = html
    .slice(0, 20_000)
    // The cut may end inside a tag.
    .replace(/<[^>]*$/, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return blurbOf(plain);
}

/** Content supplied through the control API: missing text stays missing, missing body comes from text. */
export function explicitContent(message: { body?: string; text?: string }): MessageContent {
  const text = message.text;
  const body = message.body ?? escapeHtml(text ?? '').replace(/\n/g, '<br>');
  return { body, text, blurb: text !== undefined ? blurbOf(text) : blurbOfHtml(body), ownWords: null };
}

/**
 * A message's generated content: its mail (see mail.ts), quoting the message it replies to. The
 * quote is of that message's own words, derived from its seed too, so no content is stored.
 */
export function generatedContent(message: Message): MessageContent {
  const replied = message.repliedTo;
  const mail = generateMail(message.contentSeed, {
    inbound: message.inbound,
    writer: writerOf(message),
    reader: readerOf(message),
    subject: message.conversation.subject,
    language: languageOf(message.conversation.id),
    quoted: replied ? { ownWords: ownWordsOf(replied), writer: writerOf(replied), atMs: replied.createdMs } : null,
  });
  return { body: mail.body, text: mail.text, blurb: blurbOf(mail.text ?? mail.ownWords), ownWords: mail.ownWords };
}

/** Own words do not depend on the quote, so the replied-to message is generated without its own. */
function ownWordsOf(message: Message): string {
  if (message.content) return message.content.ownWords ?? message.content.text ?? message.content.blurb;
  return generatedContent({ ...message, repliedTo: null }).ownWords ?? '';
}

function writerOf(message: Message): Person {
  if (message.inbound) return { name: message.from.name, handle: message.from.handle };
  const author = message.author;
  return author ? { name: `${author.firstName} ${author.lastName}`, handle: author.email } : { name: null, handle: message.conversation.state.inbox.address };
}

function readerOf(message: Message): Person {
  const recipient = message.conversation.recipient;
  if (!message.inbound) return { name: recipient?.name ?? null, handle: recipient?.handle ?? message.from.handle };
  const inbox = message.conversation.state.inbox;
  return { name: inbox.name, handle: inbox.address };
}
