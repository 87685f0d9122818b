import { describe, expect, it } from 'vitest';
import { destinationKey } from '../../src/config/destination-key.ts';
import type { DestinationSettings } from '../../src/config/types.ts';

const http = (url: string, token: string | null = null): DestinationSettings => ({
  type: 'http',
  url,
  token,
  batchSize: 100,
  timeoutMs: 1000,
  retries: 0,
  retryBaseMs: 1,
  signingSecret: null,
});

describe('destinationKey', () => {
  it('one URL written many ways is one destination; tokens never part of it', () => {
    const keys = [
      http('https://next.example/v1/highlights', 'a'),
      http('HTTPS://Next.Example:443/v1/highlights', 'b'),
      http('https://user:pw@next.example/v1/highlights#frag'),
      http('https://next.example/v1/highlights?token=abc&api_key=k'),
    ].map(destinationKey);
    expect(new Set(keys)).toEqual(new Set(['https://next.example/v1/highlights']));
  });

  it('paths, ports, schemes and other query parameters tell destinations apart (sorted)', () => {
    expect(destinationKey(http('http://next.example/v1/highlights'))).toBe('http://next.example/v1/highlights');
    expect(destinationKey(http('https://next.example:8443/v1/highlights'))).toBe('https://next.example:8443/v1/highlights');
    expect(destinationKey(http('https://next.example/v1/highlights?team=b&space=a'))).toBe('https://next.example/v1/highlights?space=a&team=b');
  });

  it('a file is its absolute path; stdout is one destination', () => {
    expect(destinationKey({ type: 'ndjson', path: '/data/x/../h.ndjson', isDefault: false })).toBe('/data/h.ndjson');
    expect(destinationKey({ type: 'ndjson', path: '-', isDefault: false })).toBe('stdout');
  });
});
