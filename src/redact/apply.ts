// Where the Redactor meets front-import's records: a Highlight before it is stored or sent, a
// message's stored text, and a raw Front message staged from the event stream or a webhook, so
// nothing unredacted is written to the state when redaction is on. Teammates (the company's own
// staff, also named by `assignee`) keep their names; customers' names and addresses are
// pseudonymized.

import type { FrontConversation, FrontMessage, FrontRecipient } from '../front/types.js';
import { messageToText } from '../highlight/message-text.js';
import type { MessagePerson } from '../highlight/participants.js';
import type { Highlight, TextAuthor } from '../highlight/types.js';
import { highlightVersion } from '../highlight/version.js';
import type { StoredMessage } from '../store/types.js';
import type { Redactor } from './redactor.js';

/** A Highlight mapped without labels, redacted, its version over the redacted content and the settings. */
export function redactedBase(h: Highlight, r: Redactor): Highlight {
  if (!r.active) return h;
  const redacted = redactHighlight(h, r);
  return { ...redacted, version: highlightVersion(redacted, r.fingerprint) };
}

/** Title, text, custom field texts and the customers in a Highlight (its version is the caller's to compute). */
export function redactHighlight(h: Highlight, r: Redactor): Highlight {
  if (!r.active) return h;
  return {
    ...h,
    title: r.text(h.title),
    text: r.text(h.text),
    // A custom field of type string may hold an address ("owner: leela@…"); older Highlights have none.
    customFields: h.customFields && Object.fromEntries(Object.entries(h.customFields).map(([k, v]) => [k, typeof v === 'string' ? r.text(v) : v])),
    textAuthor: author(h.textAuthor, r),
    requester: h.requester && { name: nameOf(h.requester.name, r), handle: r.person(h.requester.handle) },
    participants: unique(h.participants.map((p) => (p.role === 'teammate' ? p : { ...p, name: nameOf(p.name, r), handle: r.person(p.handle) }))),
  };
}

/** An address the mapper saw in the clear (the requester) and pseudonymized (a stored message's sender) is one person. */
function unique(participants: Highlight['participants']): Highlight['participants'] {
  const seen = new Set<string>();
  return participants.filter((p) => {
    const key = p.handle.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function redactStoredMessage(m: StoredMessage, r: Redactor): StoredMessage;
export function redactStoredMessage(m: StoredMessage | null, r: Redactor): StoredMessage | null;
export function redactStoredMessage(m: StoredMessage | null, r: Redactor): StoredMessage | null {
  if (!m || !r.active) return m;
  const out: StoredMessage = { ...m, text: r.text(m.text), author: author(m.author ?? null, r), people: m.people?.map((p) => person(p, r)) };
  if (m.textSource) out.textSource = { ...m.textSource, message: redactStoredMessage(m.textSource.message, r) };
  return out;
}

/**
 * A raw message kept for later (staged from the event stream, queued from a webhook): its own words
 * extracted first and then redacted, as `text`, without the HTML body. Redacting the raw mail would
 * blank the addresses in "On … <a@b.com> wrote:" lines that tell the extractor where a quote
 * starts; extracting again from the own words later leaves them as they are.
 */
export function redactFrontMessage(m: FrontMessage, r: Redactor, maxTextLength: number): FrontMessage {
  if (!r.active) return m;
  const { body: _body, ...rest } = m;
  return {
    ...rest,
    text: r.text(messageToText(m, { maxTextLength })),
    blurb: typeof m.blurb === 'string' ? r.text(m.blurb) : m.blurb,
    subject: typeof m.subject === 'string' ? r.text(m.subject) : m.subject,
    recipients: Array.isArray(m.recipients) ? m.recipients.map((x) => recipient(x, r)) : m.recipients,
  };
}

/** A conversation kept for later (a rule webhook's full event data): subject and requester. */
export function redactFrontConversation(c: FrontConversation, r: Redactor): FrontConversation {
  if (!r.active) return c;
  return { ...c, subject: typeof c.subject === 'string' ? r.text(c.subject) : c.subject, recipient: c.recipient ? recipient(c.recipient, r) : c.recipient };
}

function author(a: TextAuthor | null, r: Redactor): TextAuthor | null {
  if (a?.role !== 'customer') return a;
  return { role: a.role, name: nameOf(a.name, r), handle: a.handle === null ? null : r.person(a.handle) };
}

function person(p: MessagePerson, r: Redactor): MessagePerson {
  return p.side === 'teammate' ? p : { ...p, name: nameOf(p.name, r), handle: r.person(p.handle) };
}

/** A customer address on a raw message (the inbox's own addresses are pseudonymized too: harmless). */
function recipient(x: FrontRecipient, r: Redactor): FrontRecipient {
  if (!x || typeof x !== 'object') return x;
  return {
    ...x,
    name: typeof x.name === 'string' ? nameOf(x.name, r) : x.name,
    handle: typeof x.handle === 'string' ? r.person(x.handle) : x.handle,
  };
}

/** A name is pseudonymized with the addresses; with only text redaction on it may still hold an address. */
function nameOf(name: string | null, r: Redactor): string | null {
  if (name === null) return null;
  const p = r.person(name);
  return p === name ? r.text(name) : p;
}

/** A rule webhook's full event data, as the listener queues it: nothing in the clear at rest either. */
export function redactFullEvent<E extends { full?: { conversation: FrontConversation; message: FrontMessage | null } | null }>(event: E, r: Redactor, maxTextLength: number): E {
  if (!r.active || !event.full) return event;
  const { conversation, message } = event.full;
  return { ...event, full: { conversation: redactFrontConversation(conversation, r), message: message && redactFrontMessage(message, r, maxTextLength) } };
}
