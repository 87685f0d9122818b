// Threads built from the real-mail corpus (issue 24), to show what the thread signal gains: each
// case is a reply whose own words are one corpus message's label, quoting the previous message's
// label (the earlier message of the thread) in a form no rule recognises on its own: pasted with no
// marker, `>`-prefixed with no attribution, under an introduction naming only a date, or in a plain
// HTML <div>. Scored with and without the earlier message at hand. A reply whose own words share
// text with the earlier message (fixtures that share their lorem ipsum) is left out: its own words
// would themselves repeat the earlier message, which is no thread a reader would write. Pure.

import type { FrontMessage } from '../front/types.js';
import type { RealMail } from './real-mail-corpus.js';
import { itemAt } from '../shared/item-at.js';
import { escapeHtml } from '../shared/escape-html.js';

export const THREAD_FORMS = ['pasted', 'prefixed', 'dated-intro', 'html-div'] as const;
export type ThreadForm = (typeof THREAD_FORMS)[number];

export interface ThreadCase {
  /** The reply, as Front would hand it over. */
  message: FrontMessage;
  /** The earlier message's text, as the state holds it (its own words). */
  earlier: string;
  /** The reply's own words: a RealMail whose label is what the Highlight should say. */
  expected: RealMail;
  form: ThreadForm;
}

/** A quote needs words to recognise: an earlier message shorter than this is not used. */
const MIN_EARLIER_WORDS = 6;

export function realMailThreads(corpus: readonly RealMail[]): ThreadCase[] {
  const usable = corpus.filter((m) => m.label.trim() && m.kind !== 'chat');
  const cases: ThreadCase[] = [];
  for (let i = 1; i < usable.length; i++) {
    // Zero-width characters are dropped: the HTML converter drops them, and no reader sees them.
    const earlier = visible(itemAt(usable, i - 1).label);
    const reply = itemAt(usable, i);
    const own = visible(reply.label);
    if (earlier.split(/\s+/u).length < MIN_EARLIER_WORDS || sharesText(own, earlier)) continue;
    const form = itemAt(THREAD_FORMS, cases.length % THREAD_FORMS.length);
    const expected: RealMail = { ...reply, message: own, label: own, format: form === 'html-div' ? 'html' : 'text' };
    cases.push({ message: replyMessage(`thread_${reply.id}`, own, earlier, form), earlier, expected, form });
  }
  return cases;
}

function replyMessage(id: string, own: string, earlier: string, form: ThreadForm): FrontMessage {
  switch (form) {
    case 'pasted':
      return { id, text: `${own}\n\n${earlier}` };
    case 'prefixed':
      return { id, text: `${own}\n\n${earlier.split('\n').map((line) => `> ${line}`).join('\n')}` };
    case 'dated-intro':
      return { id, text: `${own}\n\n30.11.2026 10:00 – Support:\n${earlier}` };
    case 'html-div':
      return { id, body: `${paragraphs(own)}<div><br></div><div>${paragraphs(earlier)}</div>` };
  }
}

/** Share of the reply's word trigrams found in the earlier message above which the pair is left out. */
const MAX_SHARED = 0.2;

function sharesText(own: string, earlier: string): boolean {
  const grams = (text: string) => {
    const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return words.slice(2).map((w, i) => `${words[i]} ${words[i + 1]} ${w}`);
  };
  const seen = new Set(grams(earlier));
  const mine = grams(own);
  return mine.length > 0 && mine.filter((g) => seen.has(g)).length > mine.length * MAX_SHARED;
}

function visible(text: string): string {
  return text.replace(/[\u200b-\u200d\u2060\ufeff]/gu, '').trim();
}

function paragraphs(text: string): string {
  return text
    .split('\n')
    .map((line) => `<div>${escapeHtml(line) || '<br>'}</div>`)
    .join('');
}
