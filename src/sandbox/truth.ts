// The whole workspace as plain JSON, for tests to compare an import against. Conversations and
// messages are rendered exactly as the API serves them to the full token; events are compact.

import type { LiveWorkspace } from './live-workspace.js';
import type { EventTarget } from './model.js';
import { contentOf, type Renderer, seconds } from './render.js';
import type { SandboxTruth, TruthEvent } from './types.js';

function targetRef(target: EventTarget | null): TruthEvent['target'] {
  if (!target) return null;
  switch (target.kind) {
    case 'message':
      return { type: 'message', id: target.message.id };
    case 'tag':
      return { type: 'tag', id: target.tag.id };
    case 'teammate':
      return { type: 'teammate', id: target.teammate.id };
    case 'inbox':
      return { type: 'inbox', id: target.inbox.id };
  }
}

/** Shares the renderer's objects (an inbox's rendering in every conversation of it): copy it before changing anything. */
export function buildTruth(ws: LiveWorkspace, renderer: Renderer): SandboxTruth {
  const truth = {
    company: { id: ws.company.id, name: ws.company.name },
    inboxes: ws.inboxes.map((i) => renderer.inbox(i)),
    teammates: ws.teammates.map((t) => renderer.teammate(t)),
    tags: ws.tags.map((t) => renderer.tag(t)),
    conversations: ws.conversations.filter((c) => !ws.isPurged(c)).map((c) => ({
      ...renderer.conversation(c, c.state),
      inbox_id: c.state.inbox.id,
      messages: c.messages.map((m) => ({ ...renderer.message(m), own_words: contentOf(m).ownWords })),
    })),
    events: ws.events.filter((e) => !ws.isPurged(e.conversation)).map(
      (e): TruthEvent => ({
        id: e.id,
        type: e.type,
        emitted_at: seconds(e.emittedMs),
        conversation_id: e.conversation.id,
        inbox_id: e.state.inbox.id,
        target: targetRef(e.target),
      }),
    ),
  };
  return truth as unknown as SandboxTruth;
}

/**
 * A copy of a truth that shares nothing a caller could change with it. The truth is plain JSON
 * (objects, arrays, strings, numbers, booleans, null), so copying its containers and sharing its
 * immutable strings is all it takes: five times faster than structuredClone, which copies every
 * message body too.
 */
export function copyTruth(truth: SandboxTruth): SandboxTruth {
  return copyJson(truth) as SandboxTruth;
}

function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) out[key] = copyJson(source[key]);
  return out;
}
