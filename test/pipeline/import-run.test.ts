// runImport directly, in-process: the sandbox's Front (its clock injected) through the real client,
// an in-memory store and in-memory destinations. The strategy switch, a resume from a checkpoint, a
// failing destination and the counts, without spawning the binary.

import { afterEach, describe, expect, it } from 'vitest';
import type { createFrontApi } from '../../src/front/api.ts';
import {
  importConversations,
  PoisonedConversations,
  runImport,
  type Checkpoint,
  type DeliveryTarget,
  type ImportCounts,
  type ImportProgress,
  type ImportRequest,
  type ImportResult,
  type ImportSettings,
} from '../../src/pipeline/index.ts';
import { messageToText } from '../../src/highlight/message-text.ts';
import type { SandboxHandle, SandboxOptions } from '../../src/sandbox/index.ts';
import type { Store } from '../../src/store/roles.ts';
import { openStore } from '../../src/store/sqlite/sqlite-store.ts';
import { importable } from '../helpers/e2e.ts';
import { FIXED_NOW } from '../helpers/in-process.ts';
import { fakeDestination } from './fake-destination.ts';
import { runDeps } from './run-deps.ts';
import { sandboxFront } from './sandbox-front.ts';

const DAY = 86_400_000;
const KEY = 'https://next.example/in';
const SETTINGS: ImportSettings = {
  targets: [{ name: 'default', key: KEY, scope: { inboxes: [], tags: [], excludeTags: [], statuses: [] }, labelRules: [] }],
  maxTextLength: 4000,
  textFrom: 'latest',
};

const sandboxes: SandboxHandle[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

/** A sandbox on a fixed clock and a client for it, closed after each test. */
async function front(opts: SandboxOptions) {
  const made = await sandboxFront(opts);
  sandboxes.push(made.sandbox);
  return made;
}

const weekAgo = (FIXED_NOW - 7 * DAY) / 1000;
const request = (over: Partial<ImportRequest> = {}): ImportRequest => ({ checkpointKey: 'backfill:test', window: { since: weekAgo, until: null }, startedAt: FIXED_NOW / 1000, ...over });

interface Run {
  store: Store;
  targets: DeliveryTarget[];
  signal?: AbortSignal;
  progress?: (p: ImportProgress) => void;
  warnings?: string[];
  debug?: string[];
}

function run(api: ReturnType<typeof createFrontApi>, req: ImportRequest, r: Run): Promise<ImportResult> {
  return runImport(
    req,
    runDeps({
      api,
      store: r.store,
      targets: r.targets,
      settings: SETTINGS,
      signal: r.signal,
      clock: () => FIXED_NOW,
      poisoned: new PoisonedConversations(r.store, () => FIXED_NOW),
      warn: (line) => r.warnings?.push(line),
      debug: (line) => r.debug?.push(line),
      progress: r.progress,
    }),
  );
}

const target = (destination: ReturnType<typeof fakeDestination>): DeliveryTarget[] => [{ name: 'default', key: KEY, destination }];
const expectedIds = (sandbox: SandboxHandle) =>
  importable(sandbox.control.truth().conversations)
    .filter((c) => (c.updated_at ?? 0) >= weekAgo)
    .map((c) => `front:${c.id}`)
    .sort();
const sentIds = (destination: ReturnType<typeof fakeDestination>) => destination.sent.flatMap((b) => b.highlights.map((h) => h.id));
const outcomes = (c: ImportCounts) => c.created + c.updated + c.unchanged + c.skipped + c.failed;

describe('runImport over an in-process Front', () => {
  it('imports every conversation active in the window once, and its counts add up', async () => {
    const { sandbox, api } = await front({ conversations: 60, seed: 11 });
    const store = openStore(':memory:');
    const destination = fakeDestination();
    const result = await run(api, request(), { store, targets: target(destination) });

    expect(result).toMatchObject({ complete: true, resumed: false, pending: 0, deliveryError: null });
    const ids = sentIds(destination);
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual(expectedIds(sandbox));
    expect(result.counts.delivered).toBe(ids.length);
    expect(outcomes(result.counts)).toBe(result.counts.seen);
    expect(result.counts.created).toBe(ids.length);
    await store.close();
  });

  it('switches from the event stream to the listing when the stream turns dense, keeping what it read', async () => {
    // 120 conversations of 2 messages in the older half of the week, 120 of 40 in the newer half.
    const { sandbox, api } = await front({ conversations: 240, seed: 71, plan: 'enterprise', messagesPerConversation: [2, 40] });
    const store = openStore(':memory:');
    const destination = fakeDestination(undefined, 100);
    const debug: string[] = [];
    const result = await run(api, request(), { store, targets: target(destination), debug });

    expect(result.strategy).toBe('listing');
    expect(result.plan?.mode).toBe('auto');
    expect(result.plan?.switches).toHaveLength(1);
    const [change] = result.plan!.switches;
    expect(change).toMatchObject({ from: 'events', to: 'listing' });
    expect(change!.atFraction).toBeGreaterThan(0.3);
    expect(change!.atFraction).toBeLessThan(0.95);
    expect(result.strategyReason).toMatch(/switched from events to listing: the event stream turned dense/);
    expect(debug.some((line) => line.startsWith('strategy: switched from events to listing'))).toBe(true);
    // The sandbox's truth renders every message: read once.
    const expected = expectedIds(sandbox);
    expect([...sentIds(destination)].sort()).toEqual(expected);
    expect(outcomes(result.counts)).toBe(result.counts.seen);
    // The conversations whose messages the stream gave before the switch cost no message request.
    expect(result.counts.messageFetches).toBeLessThan(expected.length * 0.8);
    await store.close();
  });

  it('resumes an interrupted run from its checkpoint: no page fetched twice, every Highlight once', async () => {
    const { sandbox, api } = await front({ conversations: 150, seed: 5 });
    const store = openStore(':memory:');
    const destination = fakeDestination(undefined, 100);
    const stop = new AbortController();
    let pages = 0;
    const first = run(api, request({ strategy: 'listing' }), {
      store,
      targets: target(destination),
      signal: stop.signal,
      progress: (p) => {
        if (p.phase === 'fetching' && ++pages === 1) stop.abort(new Error('stopped'));
      },
    });
    await expect(first).rejects.toThrow('stopped');
    const saved = await store.getCheckpoint<Checkpoint>('backfill:test');
    expect(saved).toMatchObject({ strategy: 'listing', complete: false });
    expect(saved!.position).not.toBeNull();
    expect(sentIds(destination)).toEqual([]);

    const listed = (from: number) => sandbox.control.requestLog().slice(from).filter((e) => e.path === '/conversations').length;
    const before = sandbox.control.requestLog().length;
    const again = await run(api, request({ strategy: 'listing' }), { store, targets: target(destination) });
    expect(again).toMatchObject({ resumed: true, complete: true, strategy: 'listing', pending: 0 });
    expect(again.strategyReason).toMatch(/resuming the listing fetch saved by an earlier run/);
    // 150 conversations are two listing pages: the resumed run reads the second one only.
    expect(listed(before)).toBe(1);
    const ids = sentIds(destination);
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual(expectedIds(sandbox));
    await store.close();
  });

  it('a destination that fails keeps everything pending, fetches all the same, and the next run delivers the backlog first', async () => {
    const { sandbox, api } = await front({ conversations: 40, seed: 9 });
    const store = openStore(':memory:');
    const down = fakeDestination(() => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const failed = await run(api, request(), { store, targets: target(down) });
    const expected = expectedIds(sandbox);
    expect(failed.complete).toBe(true);
    expect(failed.deliveryError).toBeInstanceOf(Error);
    expect(failed.counts).toMatchObject({ delivered: 0, created: expected.length });
    expect(failed.pending).toBe(expected.length);
    expect(failed.deliveries).toMatchObject([{ key: KEY, delivered: 0, pending: expected.length }]);

    const up = fakeDestination(undefined, 100);
    const progress: ImportProgress['phase'][] = [];
    const next = await run(api, request({ checkpointKey: 'backfill:again' }), { store, targets: target(up), progress: (p) => progress.push(p.phase) });
    expect(next).toMatchObject({ deliveryError: null, pending: 0 });
    expect(next.counts.delivered).toBe(expected.length);
    expect(next.counts).toMatchObject({ created: 0, unchanged: expected.length });
    expect(progress.indexOf('delivering backlog')).toBeLessThan(progress.indexOf('fetching'));
    expect([...sentIds(up)].sort()).toEqual(expected);
    await store.close();
  });
});

describe('the thread signal in imports (issue 24)', () => {
  const ASK = 'Hi Maria,\n\nCould you run the export again and tell me which plan you are on?\nAnd which browser do you use?\n\nBest,\nAda';
  const OWN = 'The Team plan on Firefox, and it still fails.\n\nThanks,\nMaria';
  // Quoted under an attribution no rule knows, without `>`: only the earlier message tells it apart.
  const QUOTING = `${OWN}\n\nAda skrev:\n${ASK}`;

  /**
   * A conversation (the customer's ask, the agent's question) imported, then the customer's reply
   * imported by a second run (events or listing strategy) or by the listener's step for a webhook
   * naming the conversation: the Highlight's text and every Front request the second import made.
   */
  async function reply(text: string, by: 'events' | 'listing' | 'webhook') {
    const { sandbox, api } = await front({ conversations: 5, seed: 24 });
    const store = openStore(':memory:');
    const id = sandbox.control.addConversation({ messages: [{ text: 'The export is empty again.' }, { text: ASK, inbound: false }] });
    const strategy = by === 'webhook' ? 'events' : by;
    await run(api, request({ strategy }), { store, targets: target(fakeDestination()) });
    sandbox.control.addMessage(id, { text });
    sandbox.control.clearRequestLog();
    const destination = fakeDestination();
    if (by === 'webhook') {
      await importConversations({ fetch: [id], given: [] }, { api, store, targets: target(destination), settings: SETTINGS, warn: () => undefined, clock: () => FIXED_NOW });
    } else {
      await run(api, request({ checkpointKey: 'backfill:reply', strategy }), { store, targets: target(destination) });
    }
    await store.close();
    const highlight = destination.sent.flatMap((b) => b.highlights).find((h) => h.id === `front:${id}`);
    return { text: highlight?.text, requests: sandbox.control.requestLog().map((e) => `${e.method} ${e.pathTemplate}`) };
  }

  it.each(['events', 'listing', 'webhook'] as const)('%s: the reply loses the repeated history, with the same Front requests as a reply that quotes nothing', async (by) => {
    const quoting = await reply(QUOTING, by);
    const plain = await reply(OWN, by);
    expect(messageToText({ id: 'msg_alone', text: QUOTING })).toContain('Ada skrev:');
    expect(quoting.text).toBe(OWN);
    expect(plain.text).toBe(OWN);
    expect(quoting.requests.length).toBeGreaterThan(0);
    expect(quoting.requests).toEqual(plain.requests);
  });
});
