// Seeded workspace generation: company, inboxes, teammates, tags, contacts, and conversations whose
// event history (messages and state changes) replays to their final state. Pure: same options,
// same workspace.

import {
  type Company,
  type Contact,
  type Conversation,
  type ConversationState,
  type EventSource,
  type EventTarget,
  type EventType,
  type FrontEventRecord,
  type Inbox,
  type Message,
  type Tag,
  type Teammate,
  makeId,
  withMessage,
} from './model.js';
import { generatedContent } from './content.js';
import { drawExtras, extrasStream, piiLine, withPlantedLine } from './extras.js';
import { type Random, seededRandom } from './random.js';
import {
  COMPANY_NAMES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  INBOX_NAMES,
  LAST_NAMES,
  PRIVATE_INBOX_NAME,
  SUBJECTS,
  TAGS,
} from './vocabulary.js';
import { itemAt } from '../shared/item-at.js';

export interface GenerateOptions {
  seed: number | string;
  conversations: number;
  days: number;
  inboxes: number;
  nowMs: number;
  /**
   * Messages per conversation. A number: every conversation has that many. A list: the window is
   * cut into that many equal slices, oldest first, and a conversation whose last activity falls in
   * slice i has list[i] messages (density that changes over the window). Default: 1 to 12, mean 4.
   */
  messagesPerConversation?: number | readonly number[];
  /** Plant personal data (extras.ts PLANTED_PII) in about one inbound message in three. */
  pii?: boolean;
}

export interface Workspace {
  company: Company;
  inboxes: Inbox[];
  teammates: Teammate[];
  tags: Tag[];
  contacts: Contact[];
  /** Oldest first. */
  conversations: Conversation[];
  /** Ordered by (emittedMs, seq). */
  events: FrontEventRecord[];
}

const DAY_MS = 86_400_000;
const TEAMMATES = 8;
const IMPORTED_SHARE = 0.02;
/** Weights for 1..12 messages: mean about 4. */
const MESSAGE_COUNT_WEIGHTS = [14, 18, 18, 14, 10, 8, 6, 4, 3, 2, 2, 1];
const TAG_COUNT_WEIGHTS = [35, 30, 20, 10, 5];

export function generateWorkspace(opts: GenerateOptions): Workspace {
  const rng = seededRandom(opts.seed, 'workspace');
  const companyName = rng.pick(COMPANY_NAMES);
  const domain = `${asciiSlug(companyName)}.example`;
  const company: Company = { id: makeId('cmp', rng.int(0, 999_999)), name: companyName };
  const inboxes = makeInboxes(opts.inboxes, domain);
  const teammates = makeTeammates(rng, domain);
  const tags = TAGS.map((t, i): Tag => ({
    id: makeId('tag', i),
    name: t.name,
    highlight: t.highlight,
    createdMs: opts.nowMs - (opts.days + 30) * DAY_MS + i * 3_600_000,
  }));
  const contacts = makeContacts(rng, Math.max(10, Math.ceil(opts.conversations / 3)));

  const ctx: TimelineContext = { rng, inboxes, teammates, tags, contacts, domain, opts };
  const drafts: ConversationDraft[] = [];
  for (let i = 0; i < opts.conversations; i++) drafts.push(draftConversation(ctx, i));

  drafts.sort((a, b) => a.conversation.createdMs - b.conversation.createdMs || a.order - b.order);
  for (const [i, d] of drafts.entries()) d.conversation.id = makeId('cnv', i);

  const events = drafts.flatMap((d) => d.events);
  events.sort((a, b) => a.emittedMs - b.emittedMs || a.seq - b.seq);
  let messageCount = 0;
  events.forEach((e, i) => {
    e.seq = i;
    e.id = makeId('evt', i);
    if (e.target?.kind === 'message') e.target.message.id = makeId('msg', messageCount++);
  });
  const extras = extrasStream(opts.seed);
  for (const d of drafts) d.conversation.extras = drawExtras(extras);
  if (opts.pii) plantPii(drafts.map((d) => d.conversation));
  return { company, inboxes, teammates, tags, contacts, conversations: drafts.map((d) => d.conversation), events };
}

/** Oldest message first, so a reply's quote (generated when served) quotes the planted words too. */
function plantPii(conversations: readonly Conversation[]): void {
  for (const c of conversations) {
    for (const m of c.messages) {
      if (m.inbound && m.contentSeed % 3 === 0) m.content = withPlantedLine(generatedContent(m), piiLine(m.contentSeed));
    }
  }
}

function makeInboxes(count: number, domain: string): Inbox[] {
  const n = Math.max(1, count);
  return Array.from({ length: n }, (_, i): Inbox => {
    const isPrivate = n >= 2 && i === n - 1;
    const name = isPrivate ? PRIVATE_INBOX_NAME : (INBOX_NAMES[i] ?? `Inbox ${i + 1}`);
    const local = isPrivate ? 'vip' : asciiSlug(name);
    return { id: makeId('inb', i), name, isPrivate, address: `${local}@${domain}` };
  });
}

function makeTeammates(rng: Random, domain: string): Teammate[] {
  const firsts = rng.sample(FIRST_NAMES, TEAMMATES);
  const lasts = rng.sample(LAST_NAMES, TEAMMATES);
  return firsts.map((firstName, i): Teammate => {
    const username = `${asciiSlug(firstName) || 'agent'}${i}`;
    return {
      id: makeId('tea', i),
      email: `${username}@${domain}`,
      username,
      firstName,
      lastName: itemAt(lasts, i),
      isAdmin: i === 0,
    };
  });
}

function makeContacts(rng: Random, count: number): Contact[] {
  return Array.from({ length: count }, (_, i): Contact => {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const local = `${asciiSlug(first) || 'customer'}.${asciiSlug(last) || 'x'}${i}`;
    return {
      id: makeId('crd', i),
      name: rng.chance(0.12) ? null : `${first} ${last}`,
      handle: `${local}@${rng.pick(EMAIL_DOMAINS)}`,
    };
  });
}

/** Lower-case ASCII letters and digits only: for emails and handles made from unicode names. */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

interface TimelineContext {
  rng: Random;
  inboxes: Inbox[];
  teammates: Teammate[];
  tags: Tag[];
  contacts: Contact[];
  domain: string;
  opts: GenerateOptions;
}

interface ConversationDraft {
  conversation: Conversation;
  events: FrontEventRecord[];
  order: number;
}

type Action =
  | { kind: 'message'; inbound: boolean }
  | { kind: 'assign'; teammate: Teammate }
  | { kind: 'unassign' }
  | { kind: 'tag'; tag: Tag }
  | { kind: 'untag'; tag: Tag }
  | { kind: 'move'; inbox: Inbox }
  | { kind: 'status'; type: 'archive' | 'reopen' | 'trash' | 'restore' };

/** Non-message actions are placed in the gap after message `slot` (1-based), in `order` within it. */
interface Placed {
  slot: number;
  order: number;
  action: Action;
}

function draftConversation(ctx: TimelineContext, order: number): ConversationDraft {
  const { rng, inboxes, teammates, tags } = ctx;
  const publicInboxes = inboxes.filter((i) => !i.isPrivate);
  const finalInbox = itemAt(inboxes, rng.weighted(inboxes.map((inbox, i) => (inbox.isPrivate ? 1 : Math.max(1, 5 - i)))));
  const finalStatus = itemAt(['open', 'archived', 'deleted'] as const, rng.weighted([55, 38, 7]));
  const density = densityFor(ctx.opts.messagesPerConversation, order, ctx.opts.conversations);
  const messageCount = density.messages ?? 1 + rng.weighted(MESSAGE_COUNT_WEIGHTS);
  const finalTags = rng.sample(tags, rng.weighted(TAG_COUNT_WEIGHTS));
  const assigneeChance = finalStatus === 'open' ? 0.6 : finalStatus === 'archived' ? 0.7 : 0.3;
  const finalAssignee = rng.chance(assigneeChance) ? rng.pick(teammates) : null;

  const placed: Placed[] = [];
  const place = (action: Action, slot = rng.int(1, messageCount)) => placed.push({ slot, order: rng.next(), action });
  const placePair = (first: Action, second: Action) => {
    const a = { slot: rng.int(1, messageCount), order: rng.next() };
    const b = { slot: rng.int(1, messageCount), order: rng.next() };
    const [early, late] = a.slot < b.slot || (a.slot === b.slot && a.order <= b.order) ? [a, b] : [b, a];
    placed.push({ ...early, action: first }, { ...late, action: second });
  };

  let initialInbox = finalInbox;
  if (!finalInbox.isPrivate && publicInboxes.length > 1 && rng.chance(0.05)) {
    initialInbox = rng.pick(publicInboxes.filter((i) => i !== finalInbox));
    place({ kind: 'move', inbox: finalInbox }, 1);
  }
  if (finalAssignee) {
    if (rng.chance(0.2)) placePair({ kind: 'assign', teammate: rng.pick(teammates) }, { kind: 'assign', teammate: finalAssignee });
    else place({ kind: 'assign', teammate: finalAssignee });
  } else if (rng.chance(0.1)) {
    placePair({ kind: 'assign', teammate: rng.pick(teammates) }, { kind: 'unassign' });
  }
  for (const tag of finalTags) place({ kind: 'tag', tag });
  const spare = tags.filter((t) => !finalTags.includes(t));
  if (spare.length > 0 && rng.chance(0.12)) {
    const tag = rng.pick(spare);
    placePair({ kind: 'tag', tag }, { kind: 'untag', tag });
  }
  // A closed-then-reopened episode sits inside one gap between messages, so no message lands while closed.
  if (messageCount > 1 && rng.chance(finalStatus === 'deleted' ? 0.1 : 0.15)) {
    const slot = rng.int(1, messageCount - 1);
    const [close, reopen] = finalStatus === 'deleted' ? (['trash', 'restore'] as const) : (['archive', 'reopen'] as const);
    placed.push({ slot, order: 2, action: { kind: 'status', type: close } });
    placed.push({ slot, order: 3, action: { kind: 'status', type: reopen } });
  }
  placed.sort((a, b) => a.slot - b.slot || a.order - b.order);

  const actions: Action[] = [];
  let inbound = rng.chance(0.85);
  let next = 0;
  for (let m = 1; m <= messageCount; m++) {
    actions.push({ kind: 'message', inbound });
    while (next < placed.length && itemAt(placed, next).slot === m) actions.push(itemAt(placed, next++).action);
    if (rng.chance(0.75)) inbound = !inbound;
  }
  if (finalStatus === 'archived') actions.push({ kind: 'status', type: 'archive' });
  if (finalStatus === 'deleted') actions.push({ kind: 'status', type: 'trash' });

  const times = spreadTimes(rng, actions.length, ctx.opts, density.slice);
  const importShiftMs = rng.chance(IMPORTED_SHARE) ? rng.int(30, 365) * DAY_MS : 0;
  const recipient = rng.chance(0.04) ? null : rng.pick(ctx.contacts);
  const conversation: Conversation = {
    id: '',
    subject: rng.chance(0.05) ? '' : rng.pick(SUBJECTS).replace('{n}', String(rng.int(1000, 99999))),
    recipient,
    createdMs: itemAt(times, 0) - importShiftMs,
    messages: [],
    state: {
      status: 'open',
      assignee: null,
      tags: [],
      inbox: initialInbox,
      updatedMs: itemAt(times, 0),
      lastMessage: null,
      waitingSinceMs: null,
    },
  };
  const stray: Contact = { id: makeId('crd', 900_000 + order), name: null, handle: `no-reply${order}@notifications.example` };
  const events = actions.map((action, i) => applyAction(ctx, conversation, action, itemAt(times, i), importShiftMs, recipient ?? stray));
  // Provisional: breaks emittedMs ties across conversations by draft order; renumbered once sorted.
  for (const [i, e] of events.entries()) e.seq = order * 1000 + i;
  return { conversation, events, order };
}

interface Density {
  /** Null: drawn from MESSAGE_COUNT_WEIGHTS. */
  messages: number | null;
  /** Where in the window the conversation's last activity falls, as slice `index` of `of`, oldest first. */
  slice: { index: number; of: number; bounded: boolean };
}

/** Conversations are dealt to the slices in equal shares, in draft order. */
function densityFor(setting: GenerateOptions['messagesPerConversation'], order: number, total: number): Density {
  if (setting === undefined) return { messages: null, slice: { index: 0, of: 1, bounded: true } };
  const list = typeof setting === 'number' ? [setting] : setting;
  const index = Math.min(list.length - 1, Math.floor((order * list.length) / Math.max(1, total)));
  return { messages: Math.max(1, Math.floor(itemAt(list, index))), slice: { index, of: list.length, bounded: false } };
}

/** Strictly increasing ms timestamps, the last uniform in its slice of the window, spanning minutes to days. */
function spreadTimes(rng: Random, count: number, opts: GenerateOptions, slice: Density['slice']): number[] {
  const windowMs = opts.days * DAY_MS;
  const windowStart = opts.nowMs - windowMs;
  // Age as a fraction of the window: slice 0 (the oldest) is the last one back from now.
  const age = (slice.of - 1 - slice.index + rng.next()) / slice.of;
  const end = opts.nowMs - Math.floor(age * (windowMs - count));
  const wanted = Math.floor(rng.next() ** 2 * Math.min(windowMs, 3 * DAY_MS));
  // By default a conversation is squeezed into the window, which crowds the window's start with
  // messages; with a density set it may have begun before the window, as a real stream's would.
  const span = Math.min(slice.bounded ? end - windowStart - 1 : Infinity, Math.max(count, wanted));
  if (count === 1) return [end - 1];
  const start = end - span;
  const gaps = Array.from({ length: count - 1 }, () => -Math.log(1 - rng.next()) + 0.01);
  const total = gaps.reduce((s, g) => s + g, 0) || 1;
  const times = [start];
  let acc = 0;
  // The +k keeps them strictly increasing; the spread leaves room for it, so the last stays before `end`.
  gaps.forEach((gap, k) => {
    acc += gap;
    times.push(start + Math.floor(((span - count) * acc) / total) + k + 1);
  });
  return times;
}

function applyAction(
  ctx: TimelineContext,
  conversation: Conversation,
  action: Action,
  atMs: number,
  importShiftMs: number,
  from: Contact,
): FrontEventRecord {
  const { rng, teammates } = ctx;
  const before = conversation.state;
  const actor: EventSource = { kind: 'teammate', teammate: before.assignee ?? rng.pick(teammates) };
  let type: EventType;
  let state: ConversationState = { ...before, updatedMs: atMs };
  let source: EventSource = actor;
  let target: EventTarget | null = null;

  switch (action.kind) {
    case 'message': {
      const author = action.inbound ? null : (before.assignee ?? rng.pick(teammates));
      const message: Message = {
        id: '',
        conversation,
        createdMs: atMs - importShiftMs,
        inbound: action.inbound,
        author,
        from,
        repliedTo: before.lastMessage,
        contentSeed: rng.int(0, 2 ** 31),
        content: null,
      };
      conversation.messages.push(message);
      type = action.inbound ? 'inbound' : before.lastMessage ? 'out_reply' : 'outbound';
      source = author ? { kind: 'teammate', teammate: author } : { kind: 'inbox', inbox: before.inbox };
      target = { kind: 'message', message };
      state = withMessage(before, message, atMs);
      break;
    }
    case 'assign':
      type = 'assign';
      target = { kind: 'teammate', teammate: action.teammate };
      state.assignee = action.teammate;
      break;
    case 'unassign':
      type = 'unassign';
      target = before.assignee ? { kind: 'teammate', teammate: before.assignee } : null;
      state.assignee = null;
      break;
    case 'tag':
      type = 'tag';
      target = { kind: 'tag', tag: action.tag };
      state.tags = [...before.tags, action.tag];
      break;
    case 'untag':
      type = 'untag';
      target = { kind: 'tag', tag: action.tag };
      state.tags = before.tags.filter((t) => t !== action.tag);
      break;
    case 'move':
      type = 'move';
      target = { kind: 'inbox', inbox: action.inbox };
      state.inbox = action.inbox;
      break;
    case 'status':
      type = action.type;
      state.status = action.type === 'archive' ? 'archived' : action.type === 'trash' ? 'deleted' : 'open';
      break;
  }
  conversation.state = state;
  return { seq: 0, id: '', type, emittedMs: atMs, conversation, state, source, target };
}
