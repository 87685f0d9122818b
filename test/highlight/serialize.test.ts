import { describe, expect, it } from 'vitest';
import { serializeHighlight } from '../../src/highlight/serialize.ts';
import type { Highlight } from '../../src/highlight/types.ts';

const CONTRACT_ORDER = [
  'id', 'version', 'schemaVersion', 'source', 'conversationId', 'title', 'text', 'textTruncated', 'textAuthor',
  'requester', 'assignee', 'participants', 'status', 'statusName', 'statusCategory', 'tags', 'labels',
  'customFields', 'ticketIds', 'links', 'team', 'language', 'createdAt', 'updatedAt', 'lastMessageAt', 'sourceUrl',
];

const highlight: Highlight = {
  id: 'front:cnv_1',
  version: 'abc',
  schemaVersion: 3,
  source: 'front',
  conversationId: 'cnv_1',
  title: 'T',
  text: 'line 1\nline "2"',
  textTruncated: false,
  textAuthor: { role: 'customer', name: 'R', handle: 'r@x.com' },
  requester: { name: 'R', handle: 'r@x.com' },
  assignee: { id: 'tea_1', name: 'A B', email: 'a@x.com' },
  participants: [{ name: 'R', handle: 'r@x.com', role: 'requester' }, { name: 'A B', handle: 'a@x.com', role: 'teammate' }],
  status: 'open',
  statusName: null,
  statusCategory: null,
  tags: ['a'],
  labels: [],
  customFields: {},
  ticketIds: [],
  links: [],
  team: [],
  language: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
  lastMessageAt: null,
  sourceUrl: 'https://app.frontapp.com/open/cnv_1',
};

describe('serializeHighlight', () => {
  it('writes keys in contract order, nested objects too, whatever order the object was built in', () => {
    const scrambled = Object.fromEntries(Object.entries(highlight).reverse()) as unknown as Highlight;
    scrambled.requester = { handle: 'r@x.com', name: 'R' };
    scrambled.assignee = { email: 'a@x.com', name: 'A B', id: 'tea_1' };
    const json = serializeHighlight(scrambled);
    expect(Object.keys(JSON.parse(json))).toEqual(CONTRACT_ORDER);
    expect(json).toContain('"requester":{"name":"R","handle":"r@x.com"}');
    expect(json).toContain('"assignee":{"id":"tea_1","name":"A B","email":"a@x.com"}');
    expect(json).toBe(serializeHighlight(highlight));
  });

  it('is one line with no trailing newline, and round-trips', () => {
    const json = serializeHighlight(highlight);
    expect(json).not.toContain('\n');
    expect(JSON.parse(json)).toEqual(highlight);
  });

  it('keeps null requester and assignee, and drops stray properties', () => {
    const json = serializeHighlight({ ...highlight, requester: null, assignee: null, extra: 1 } as Highlight);
    expect(json).toContain('"requester":null,"assignee":null');
    expect(json).not.toContain('extra');
  });
});
