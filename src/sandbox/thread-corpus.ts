// The sandbox's generated conversations as threads (issue 24): each message after the first with the
// messages before it, as an import holds them (a listing page read anyway, the event stream), and
// its own words as ground truth. For scoring the thread signal on threads whose messages quote each
// other as mail clients do (nested quotes, a customer pasting the same log twice) without a server
// (npm run bench:quality, test/highlight/thread-history.test.ts). Pure: same seed, same threads.

import { generateWorkspace } from './generate.js';
import { LiveWorkspace } from './live-workspace.js';
import { Renderer } from './render.js';
import { buildTruth } from './truth.js';
import type { TruthMessage } from './types.js';

export interface SandboxThreadCase {
  conversationId: string;
  /** The message scored, as the API serves it. */
  message: TruthMessage;
  /** The messages before it in its conversation, nearest first, as the API serves them. */
  earlier: TruthMessage[];
  ownWords: string;
}

/** The generator's clock: fixed, so the threads do not depend on the day they are built. */
const NOW_MS = Date.UTC(2026, 11, 1);

export function sandboxThreadCases(seed: number, conversations: number): SandboxThreadCase[] {
  const ws = new LiveWorkspace(generateWorkspace({ seed, conversations, days: 7, inboxes: 4, nowMs: NOW_MS }), () => NOW_MS);
  const truth = buildTruth(ws, new Renderer('http://sandbox.invalid'));
  const cases: SandboxThreadCase[] = [];
  for (const c of truth.conversations) {
    c.messages.forEach((message, i) => {
      if (i === 0 || message.own_words === null) return;
      cases.push({ conversationId: c.id, message, earlier: c.messages.slice(0, i).reverse(), ownWords: message.own_words });
    });
  }
  return cases;
}
