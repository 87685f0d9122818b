// Message bodies. Generated text is a pure function of a seed and its context, so the workspace
// stores one number per message and renders the HTML only when someone asks for it.

import { escapeHtml } from '../shared/escape-html.js';
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
  const writer = writerOf(message);
  const reader = readerOf(message);
  const subject = message.conversation.subject;
  // Every input of the mail, so a cached mail is never one its message has since moved away from
  // (a conversation moved to another inbox is addressed to that inbox; a quote changes with the
  // content of the message it quotes).
  const repliedWriter = replied ? writerOf(replied) : null;
  const key = JSON.stringify([message.contentSeed, message.inbound, writer, reader, subject, message.conversation.id, replied && [replied.contentSeed, replied.inbound, replied.content, repliedWriter, readerOf(replied), replied.createdMs]]);
  const cached = recent.get(key);
  if (cached) return cached;
  const mail = generateMail(message.contentSeed, {
    inbound: message.inbound,
    writer,
    reader,
    subject,
    language: languageOf(message.conversation.id),
    quoted: replied && repliedWriter ? { ownWords: ownWordsOf(replied), writer: repliedWriter, atMs: replied.createdMs } : null,
  });
  const content = Object.freeze({ body: mail.body, text: mail.text, blurb: blurbOf(mail.text ?? mail.ownWords), ownWords: mail.ownWords });
  if (recent.size >= RECENT_MAILS) {
    const oldest = recent.keys().next();
    if (!oldest.done) recent.delete(oldest.value);
  }
  recent.set(key, content);
  return content;
}

/**
 * Mails generated lately, by their inputs. A run reads each message more than once (the listing,
 * its messages page, the quote in the next reply, the tests' ground truth) and generating one is most
 * of what the sandbox spends per request; bounded so a workspace of a million conversations still
 * stores no content. Oldest out first.
 */
const RECENT_MAILS = 20_000;
const recent = new Map<string, MessageContent>();

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
