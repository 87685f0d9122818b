import { describe, expect, it } from 'vitest';
import { FrontRequestError } from '../../src/errors.ts';
import type { FrontConversation, FrontMessage } from '../../src/front/types.ts';
import { TEXT_RULES } from '../../src/highlight/message-text.ts';
import type { TextFrom } from '../../src/highlight/types.ts';
import { resolveMessages, toStoredMessage, type MessageApi, type MessageChoice } from '../../src/pipeline/prepare/latest-message.ts';
import type { ConversationSnapshot, StoredMessage } from '../../src/store/types.ts';

/** The conversation's messages, oldest first, served the way Front lists them. */
function api(all: FrontMessage[]) {
  const calls: string[] = [];
  const impl: MessageApi = {
    async message(id) {
      calls.push(`message ${id}`);
      const m = all.find((x) => x.id === id);
      if (!m) throw new FrontRequestError('gone', 404);
      return m;
    },
    async latestMessage(id) {
      calls.push(`latest ${id}`);
      return all[all.length - 1] ?? null;
    },
    async conversationMessages(id, order) {
      calls.push(`messages ${id} ${order}`);
      return { messages: order === 'asc' ? [...all] : [...all].reverse(), more: false };
    },
  };
  return { impl, calls };
}

const conversation = (lastId: string | null, createdAt = 50): FrontConversation => ({
  id: 'cnv_1',
  created_at: createdAt,
  _links: lastId ? { related: { last_message: `https://api2.frontapp.com/messages/${lastId}?referer=conversation` } } : {},
});
const msg = (id: string, text: string, created_at: number, inbound = true): FrontMessage => ({ id, text, created_at, is_inbound: inbound });
const stored = (m: FrontMessage): StoredMessage => toStoredMessage(m, 4000);
const snapshot = (lastMessage: StoredMessage): ConversationSnapshot => ({
  conversationId: 'cnv_1', version: 'v', lastMessageId: lastMessage.id, frontUpdatedAt: 1, lastMessage, status: 'open', inboxes: null,
});
const choice = (textFrom: TextFrom, events: { since: number; followsCursor?: boolean } | null = null): MessageChoice => ({
  textFrom,
  maxTextLength: 4000,
  events: events && { followsCursor: false, ...events },
});
const none = { latest: null, text: null };

const ask = msg('msg_1', 'The export fails.', 100);
const reply = msg('msg_2', 'Please retry.', 200, false);
const followUp = msg('msg_3', 'Still failing.', 300);
const lastReply = msg('msg_4', 'Fixed now.', 400, false);
const thread = [ask, reply, followUp, lastReply];

describe('resolveMessages: latest', () => {
  it('uses the embedded message when it is the latest: no request', async () => {
    const { impl, calls } = api(thread);
    const r = await resolveMessages(conversation('msg_4'), { latest: lastReply, text: null }, undefined, impl, choice('latest'));
    expect(r.message).toMatchObject({ id: 'msg_4', createdAt: 400, text: 'Fixed now.', rules: TEXT_RULES, inbound: false });
    expect(r.text).toBe(r.message);
    expect(calls).toEqual([]);
  });

  it('uses the stored message for a state-only change, unless it was extracted with older rules', async () => {
    const { impl, calls } = api(thread);
    const r = await resolveMessages(conversation('msg_4'), none, snapshot(stored(lastReply)), impl, choice('latest'));
    expect(r.fetched).toBe(0);
    const old = await resolveMessages(conversation('msg_4'), none, snapshot({ id: 'msg_4', createdAt: 400, text: 'old full text' }), impl, choice('latest'));
    expect(old.message?.text).toBe('Fixed now.');
    expect(old.fetched).toBe(1);
    expect(calls).toEqual(['message msg_4']);
  });

  it('fetches the named message when neither the page nor the store has it, and the latest one when that is gone', async () => {
    const { impl, calls } = api(thread);
    expect((await resolveMessages(conversation('msg_4'), { latest: followUp, text: null }, undefined, impl, choice('latest'))).fetched).toBe(1);
    const gone = await resolveMessages(conversation('msg_9'), none, undefined, impl, choice('latest'));
    expect(gone.message?.id).toBe('msg_4');
    expect(calls).toEqual(['message msg_4', 'message msg_9', 'latest cnv_1']);
  });
});

describe('resolveMessages: latest-inbound', () => {
  it('is the latest message when that is inbound: no request', async () => {
    const { impl, calls } = api(thread.slice(0, 3));
    const r = await resolveMessages(conversation('msg_3'), { latest: followUp, text: followUp }, undefined, impl, choice('latest-inbound', { since: 0 }));
    expect(r.text?.id).toBe('msg_3');
    expect(calls).toEqual([]);
  });

  it('takes the event stream\'s newest inbound message under an agent reply: no request', async () => {
    const { impl, calls } = api(thread);
    const r = await resolveMessages(conversation('msg_4'), { latest: lastReply, text: followUp }, undefined, impl, choice('latest-inbound', { since: 0 }));
    expect(r.text?.text).toBe('Still failing.');
    expect(r.message?.id).toBe('msg_4');
    expect(r.message?.textSource).toEqual({ from: 'latest-inbound', message: r.text });
    expect(calls).toEqual([]);
  });

  it('keeps the stored one when a sync\'s window (from its cursor) had no inbound message: no request', async () => {
    const { impl, calls } = api([...thread, msg('msg_5', 'Closing this.', 500, false)]);
    const before = (await resolveMessages(conversation('msg_4'), { latest: lastReply, text: followUp }, undefined, impl, choice('latest-inbound', { since: 0 }))).message!;
    const r = await resolveMessages(conversation('msg_5'), { latest: msg('msg_5', 'Closing this.', 500, false), text: null }, snapshot(before), impl, choice('latest-inbound', { since: 450, followsCursor: true }));
    expect(r.text?.id).toBe('msg_3');
    expect(calls).toEqual([]);
  });

  it('asks once when the window may have missed a newer inbound message (a backfill window starting after the stored state)', async () => {
    const { impl, calls } = api([...thread, msg('msg_5', 'Closing this.', 500, false)]);
    const before = (await resolveMessages(conversation('msg_4'), { latest: lastReply, text: followUp }, undefined, impl, choice('latest-inbound', { since: 0 }))).message!;
    const r = await resolveMessages(conversation('msg_5'), { latest: msg('msg_5', 'Closing this.', 500, false), text: null }, snapshot(before), impl, choice('latest-inbound', { since: 450 }));
    expect(r).toMatchObject({ fetched: 1, text: { id: 'msg_3' } });
    expect(calls).toEqual(['messages cnv_1 desc']);
  });

  it('otherwise lists the conversation once, which also gives the latest message', async () => {
    const { impl, calls } = api(thread);
    const r = await resolveMessages(conversation('msg_4'), none, undefined, impl, choice('latest-inbound'));
    expect(r).toMatchObject({ fetched: 1, text: { id: 'msg_3' }, message: { id: 'msg_4' } });
    expect(calls).toEqual(['messages cnv_1 desc']);
  });

  it('falls back to the latest message when the conversation has no inbound one', async () => {
    const { impl } = api([reply, lastReply]);
    const r = await resolveMessages(conversation('msg_4'), none, undefined, impl, choice('latest-inbound'));
    expect(r.text?.id).toBe('msg_4');
    expect(r.fetched).toBe(1);
  });
});

describe('resolveMessages: first-inbound', () => {
  it('takes the event stream\'s oldest inbound message when the conversation began in the window: no request', async () => {
    const { impl, calls } = api(thread);
    const r = await resolveMessages(conversation('msg_4', 100), { latest: lastReply, text: ask }, undefined, impl, choice('first-inbound', { since: 90 }));
    expect(r.text?.text).toBe('The export fails.');
    expect(calls).toEqual([]);
  });

  it('does not trust the window\'s oldest inbound message when the conversation began before it: one listing, oldest first', async () => {
    const { impl, calls } = api(thread);
    const r = await resolveMessages(conversation('msg_4', 100), { latest: lastReply, text: followUp }, undefined, impl, choice('first-inbound', { since: 250 }));
    expect(r.text?.id).toBe('msg_1');
    expect(calls).toEqual(['messages cnv_1 asc']);
  });

  it('never asks again once stored, whatever arrives later', async () => {
    const early = api([ask, reply]);
    const first = (await resolveMessages(conversation('msg_2'), none, undefined, early.impl, choice('first-inbound'))).message!;
    expect(early.calls).toEqual(['messages cnv_1 asc']);
    const { impl, calls } = api(thread);
    const later = await resolveMessages(conversation('msg_4'), { latest: lastReply, text: followUp }, snapshot(first), impl, choice('first-inbound', { since: 250 }));
    expect(later).toMatchObject({ fetched: 0, text: { id: 'msg_1' }, message: { id: 'msg_4' } });
    expect(calls).toEqual([]);
  });

  it('asks again when the stored text was chosen for another setting', async () => {
    const { impl, calls } = api(thread);
    const latestInbound = (await resolveMessages(conversation('msg_4'), none, undefined, impl, choice('latest-inbound'))).message!;
    const r = await resolveMessages(conversation('msg_4'), none, snapshot(latestInbound), impl, choice('first-inbound'));
    expect(r.text?.id).toBe('msg_1');
    expect(calls).toEqual(['messages cnv_1 desc', 'messages cnv_1 asc']);
  });
});

describe('resolveMessages: the thread signal (earlier messages already at hand)', () => {
  const agentAsk = msg('msg_1', 'Hi Maria,\n\nCould you run the export again and tell me which plan you are on?\n\nBest,\nAda', 100, false);
  // The customer's client quoted the agent's message without `>` under an attribution no rule knows.
  const answer = msg('msg_2', 'The Team plan, and it still fails.\n\nMaria\n\nAda skrev:\nHi Maria,\n\nCould you run the export again and tell me which\nplan you are on?\n\nBest,\nAda', 200);

  it('drops the block of the new message that repeats the stored earlier message, with no request', async () => {
    const { impl, calls } = api([agentAsk, answer]);
    const r = await resolveMessages(conversation('msg_2'), { latest: answer, text: null }, snapshot(stored(agentAsk)), impl, choice('latest'));
    expect(r.message?.text).toBe('The Team plan, and it still fails.\n\nMaria');
    expect(calls).toEqual([]);
  });

  it('uses the older messages of a listing page that was read anyway', async () => {
    const { impl, calls } = api([agentAsk, answer, msg('msg_3', 'We are on it.', 300, false)]);
    const r = await resolveMessages(conversation('msg_3'), none, undefined, impl, choice('latest-inbound'));
    expect(r.text?.text).toBe('The Team plan, and it still fails.\n\nMaria');
    expect(calls).toEqual(['messages cnv_1 desc']);
  });

  it('keeps the whole text when nothing earlier is at hand', async () => {
    const { impl } = api([answer]);
    const r = await resolveMessages(conversation('msg_2'), { latest: answer, text: null }, undefined, impl, choice('latest'));
    expect(r.message?.text).toContain('Ada skrev:');
  });
});
