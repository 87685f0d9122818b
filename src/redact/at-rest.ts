// Redaction of what a state already holds (state redaction, runs/state-redaction.ts): a stored
// conversation (its Highlight and message texts) and the free texts the state keeps (errors, run
// arguments); a waiting Highlight, a staged message and a webhook's event data go through apply.ts
// as at import. Each function gives back the value unchanged when nothing in it changes, and
// is idempotent: a value redacted once comes back as it is, so a rewrite cut short is simply redone.

import type { LanguageDetector } from '../highlight/language.js';
import { deriveTitle } from '../highlight/title.js';
import { truncateAtWord } from '../highlight/truncate.js';
import type { Highlight } from '../highlight/types.js';
import type { StoredMessage } from '../store/types.js';
import { redactedBase, redactStoredMessage } from './apply.js';
import type { Redactor } from './redactor.js';

export interface StoredConversationText {
  /** The conversation's Highlight as stored (mapped without labels). */
  highlight: Highlight;
  lastMessage: StoredMessage | null;
}

export interface RemapOptions {
  maxTextLength: number;
  detectLanguage: LanguageDetector;
}

/**
 * A stored conversation as an import with these redaction settings would have stored it: the
 * messages redacted first, the text cut from the redacted message (an address straddling the cut
 * never survives in part), its language detected again, then the Highlight redacted and versioned.
 * So a conversation imported again later, unchanged, keeps this version and is not re-sent twice.
 */
export function redactStoredConversation(c: StoredConversationText, r: Redactor, opts: RemapOptions): StoredConversationText {
  if (!r.active) return c;
  const lastMessage = redactStoredMessage(c.lastMessage, r);
  const before = textSourceOf(c.lastMessage);
  const after = textSourceOf(lastMessage);
  let h = c.highlight;
  if (before && after && truncateAtWord(before.text, opts.maxTextLength) === h.text) {
    const text = truncateAtWord(after.text, opts.maxTextLength);
    // A title taken from the text's first line (no subject) is taken again from the redacted text.
    const title = h.title === deriveTitle(null, before.text) ? deriveTitle(null, after.text) : h.title;
    h = { ...h, title, text, textTruncated: text !== after.text, textAuthor: after.author ?? null, language: opts.detectLanguage(text) };
  }
  return { highlight: redactedBase(h, r), lastMessage };
}

function textSourceOf(m: StoredMessage | null): StoredMessage | null {
  return m?.textSource?.message ?? m;
}

/** Every string inside a JSON value redacted (run arguments, an error list): numbers and keys stay. */
export function redactJsonStrings(value: unknown, r: Redactor): unknown {
  if (typeof value === 'string') return r.text(value);
  if (Array.isArray(value)) return value.map((v) => redactJsonStrings(v, r));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJsonStrings(v, r)]));
  return value;
}
