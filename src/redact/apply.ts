// Where the Redactor meets front-import's records: a Highlight before it is stored or sent, a
// message's stored text, and a raw Front message staged from the event stream or a webhook, so
// nothing unredacted is written to the state when redaction is on. Teammates (the company's own
// staff, also named by `assignee`) keep their names; customers' names and addresses are
// pseudonymized.

import type { FrontConversation, FrontMessage, FrontRecipient } from '../front/types.js';
import type { MessagePerson } from '../highlight/participants.js';
import type { Highlight, TextAuthor } from '../highlight/types.js';
import type { StoredMessage } from '../store/types.js';
import type { Redactor } from './redactor.js';

/** Title, text and the customers in a Highlight (its version is the caller's to compute). */
export function redactHighlight<H extends Pick<Highlight, 'title' | 'text' | 'textAuthor' | 'requester' | 'participants'>>(h: H, r: Redactor): H {
  if (!r.active) return h;
  return {
    ...h,
    title: r.text(h.title),
    text: r.text(h.text),
    textAuthor: author(h.textAuthor, r),
    requester: h.requester && { name: nameOf(h.requester.name, r), handle: r.person(h.requester.handle) },
    participants: h.participants.map((p) => (p.role === 'teammate' ? p : { ...p, name: nameOf(p.name, r), handle: r.person(p.handle) })),
  };
}

export function redactStoredMessage(m: StoredMessage | null, r: Redactor): StoredMessage | null {
  if (!m || !r.active) return m;
  const out: StoredMessage = { ...m, text: r.text(m.text), author: author(m.author ?? null, r), people: m.people?.map((p) => person(p, r)) };
  if (m.textSource) out.textSource = { ...m.textSource, message: redactStoredMessage(m.textSource.message, r)! };
  return out;
}

/** A raw message kept for later: its text, HTML body and blurb redacted, its customers pseudonymized. */
export function redactFrontMessage(m: FrontMessage, r: Redactor): FrontMessage {
  if (!r.active) return m;
  return {
    ...m,
    text: typeof m.text === 'string' ? r.text(m.text) : m.text,
    body: typeof m.body === 'string' ? r.text(m.body) : m.body,
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
  if (!a || a.role !== 'customer') return a;
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
