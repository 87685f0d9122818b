// The fixed, seeded workload every figure is measured on, and the changes the sync figure applies.

export const WORKLOAD = { seed: 'bench-2024', conversations: 5000, days: 7, inboxes: 4 };
export const LARGE_CONVERSATIONS = 50_000;
export const SYNC_CHANGES = 300;
const DAY_MS = 86_400_000;

/** Milliseconds since the epoch where `backfill --since 7d`, started now, begins. */
export const backfillSinceMs = () => Date.now() - WORKLOAD.days * DAY_MS;

/**
 * The conversations the default scope imports: every status but spam and trash (pipeline/fetch/scope.ts),
 * so the figures compare with what a backfill should deliver, not with the whole workspace.
 */
export function inDefaultScope(control) {
  return control.truth().conversations.filter((c) => c.status !== 'spam' && c.status !== 'deleted');
}

/**
 * Changes `SYNC_CHANGES` in-scope conversations spread over the workspace: the first half get a new
 * message, the second half only a tag or a status change (open <-> archived, both in scope). Returns
 * the ids of each half.
 */
export function applySyncChanges(control) {
  const all = inDefaultScope(control);
  const stride = Math.floor(all.length / SYNC_CHANGES);
  const picked = Array.from({ length: SYNC_CHANGES }, (_, i) => all[i * stride]);
  const half = SYNC_CHANGES / 2;
  const withMessage = picked.slice(0, half);
  const stateOnly = picked.slice(half);
  for (const [i, c] of withMessage.entries()) control.addMessage(c.id, { text: `Following up on this (bench change ${i}).` });
  stateOnly.forEach((c, i) => {
    if (i % 2 === 0) control.tag(c.id, 'bench-follow-up');
    else control.setStatus(c.id, c.status === 'archived' ? 'open' : 'archived');
  });
  return { withMessage: withMessage.map((c) => c.id), stateOnly: stateOnly.map((c) => c.id) };
}

/** Request-log entries that fetched a message of one of `conversationIds` (by message id or by conversation). */
export function messageFetchesFor(control, conversationIds) {
  const wanted = new Set(conversationIds);
  const messageIds = new Set();
  for (const c of control.truth().conversations) if (wanted.has(c.id)) for (const m of c.messages) messageIds.add(m.id);
  return control.requestLog().filter((e) => {
    if (e.pathTemplate === '/messages/{message_id}') return messageIds.has(decodeURIComponent(e.path.split('/')[2]));
    if (e.pathTemplate === '/conversations/{conversation_id}/messages') return wanted.has(decodeURIComponent(e.path.split('/')[2]));
    return false;
  }).length;
}
