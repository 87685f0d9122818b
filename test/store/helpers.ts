import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Highlight } from '../../src/highlight/types.ts';
import type { UpsertItem } from '../../src/store/types.ts';

/** A fresh temp directory per call, removed after the current test. */
export function useTempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'front-import-store-'));
    made.push(dir);
    return dir;
  };
}

export function highlight(n: number, version: string, overrides: Partial<Highlight> = {}): Highlight {
  const conversationId = `cnv_${n}`;
  return {
    id: `front:${conversationId}`,
    version,
    schemaVersion: 3,
    source: 'front',
    conversationId,
    title: `Conversation ${n}`,
    text: `text of ${n} at ${version}`,
    textTruncated: false,
    textAuthor: null,
    requester: { name: 'Ada', handle: 'ada@example.com' },
    assignee: null,
    participants: [],
    status: 'open',
    statusName: null,
    statusCategory: 'open',
    tags: [],
    labels: [],
    customFields: {},
    ticketIds: [],
    links: [],
    team: [],
    language: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
    lastMessageAt: null,
    sourceUrl: `https://app.frontapp.com/open/${conversationId}`,
    ...overrides,
  };
}

/** The destination the store tests deliver to. */
export const DESTINATION = 'https://next.example/v1/highlights';

/** A conversation at `version`, queued for DESTINATION with the same Highlight. */
export function item(n: number, version: string, frontUpdatedAt = 1_700_000_000): UpsertItem {
  const h = highlight(n, version);
  return {
    highlight: h,
    facts: { frontStatus: 'unassigned', tags: [], inboxes: [] },
    deliveries: [{ destination: DESTINATION, highlight: h }],
    lastMessageId: `msg_${n}_${version}`,
    frontUpdatedAt,
    lastMessage: { id: `msg_${n}_${version}`, createdAt: frontUpdatedAt, text: `hello ${n}` },
  };
}

/** A clock the test moves by hand. */
export function manualClock(startIso = '2024-05-01T10:00:00.000Z') {
  let t = Date.parse(startIso);
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
