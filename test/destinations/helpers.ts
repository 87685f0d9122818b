import type { Highlight } from '../../src/highlight/types.ts';

export function makeHighlight(n: number, version = `v${n}`): Highlight {
  return {
    id: `front:cnv_${n}`,
    version,
    schemaVersion: 3,
    source: 'front',
    conversationId: `cnv_${n}`,
    title: `Conversation ${n}`,
    text: `Text of ${n}\nwith "quotes" and ünicode 😀`,
    textTruncated: false,
    textAuthor: null,
    requester: { name: null, handle: `user${n}@example.com` },
    assignee: null,
    participants: [],
    status: 'open',
    statusName: null,
    statusCategory: null,
    tags: ['a', 'b'],
    labels: [],
    customFields: {},
    ticketIds: [],
    links: [],
    team: [],
    language: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
    lastMessageAt: null,
    sourceUrl: `https://app.frontapp.com/open/cnv_${n}`,
  };
}

/** A promise with its resolve exposed, for holding an operation open. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
