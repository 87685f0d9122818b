import { describe, expect, it } from 'vitest';
import { endpointKey, requestUrl } from '../../src/front/request-url.ts';

describe('requestUrl', () => {
  it('encodes arrays as key[]=a&key[]=b and skips undefined values', () => {
    const url = new URL(requestUrl('http://h', '/events', { 'q[types][]': undefined, 'q[types]': ['inbound', 'tag'], 'q[after]': '1.500', limit: 15 }));
    expect(url.searchParams.getAll('q[types][]')).toEqual(['inbound', 'tag']);
    expect(url.searchParams.get('q[after]')).toBe('1.500');
    expect(url.searchParams.get('limit')).toBe('15');
    expect([...url.searchParams.keys()]).toHaveLength(4);
  });

  it('percent-encodes values', () => {
    const url = new URL(requestUrl('http://h', '/x', { q: 'a&b=c d' }));
    expect(url.searchParams.get('q')).toBe('a&b=c d');
  });

  it('keeps a base URL path prefix and takes absolute URLs as they are', () => {
    expect(requestUrl('https://proxy.example/front/', '/me')).toBe('https://proxy.example/front/me');
    expect(requestUrl('http://h', 'http://h/events?page_token=2')).toBe('http://h/events?page_token=2');
  });
});

describe('endpointKey', () => {
  it.each([
    ['http://h/events?page_token=1', 'GET /events'],
    ['http://h/messages/msg_1a2B', 'GET /messages/:id'],
    ['http://h/conversations/cnv_9/messages?limit=1', 'GET /conversations/:id/messages'],
    ['http://h/inboxes/inb_3/conversations', 'GET /inboxes/:id/conversations'],
    ['http://h/conversations/search/tag%3Atag_1%20after%3A17', 'GET /conversations/search/:query'],
  ])('%s -> %s', (url, key) => {
    expect(endpointKey('GET', url)).toBe(key);
  });
});
