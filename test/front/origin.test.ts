import { describe, expect, it } from 'vitest';
import { FrontProtocolError } from '../../src/errors.ts';
import { allowedUrl, isAllowedOrigin } from '../../src/front/origin.ts';

describe('isAllowedOrigin', () => {
  it.each([
    ['https://api2.frontapp.com', 'https://api2.frontapp.com/events?page_token=x', true],
    ['https://api2.frontapp.com', 'https://acme.api.frontapp.com/events?page_token=x', true],
    ['https://api2.frontapp.com', 'http://acme.api.frontapp.com/events', false],
    ['https://api2.frontapp.com', 'https://frontapp.com.evil.example/events', false],
    ['https://api2.frontapp.com', 'https://evilfrontapp.com/events', false],
    ['https://api2.frontapp.com', 'https://user:pw@acme.api.frontapp.com/events', false],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/events', true],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4011/events', false],
    ['http://127.0.0.1:4010', 'http://localhost:4010/events', false],
    ['http://127.0.0.1:4010', 'https://acme.api.frontapp.com/events', false],
    ['https://proxy.example/front', 'https://proxy.example/front/events', true],
    ['https://api2.frontapp.com', 'not a url', false],
  ])('base %s, target %s -> %s', (base, target, allowed) => {
    expect(isAllowedOrigin(base, target)).toBe(allowed);
  });
});

describe('allowedUrl', () => {
  it('resolves a relative link against the page it came from', () => {
    expect(allowedUrl('http://127.0.0.1:4010', '/conversations/cnv_2', 'http://127.0.0.1:4010/conversations/cnv_1', 'redirect').href).toBe(
      'http://127.0.0.1:4010/conversations/cnv_2',
    );
  });

  it('names the refused host in a FrontProtocolError', () => {
    expect(() => allowedUrl('http://127.0.0.1:4010', 'https://evil.example/x', 'http://127.0.0.1:4010/', "Front's next page link")).toThrow(
      new FrontProtocolError("Front's next page link points at https://evil.example, not 127.0.0.1:4010; refusing to send the token there"),
    );
  });
});
