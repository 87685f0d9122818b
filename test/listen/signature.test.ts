import { describe, expect, it } from 'vitest';
import { verifyAppSignature } from '../../src/listen/signature.ts';
import { constantTimeEqual } from '../../src/listen/constant-time.ts';
import { SECRET, sign } from './helpers.ts';

const NOW = 1_760_000_000_000;
const body = Buffer.from('{"type":"inbound","payload":{"id":"evt_1"}}');
const ts = String(NOW - 1_000);

function check(overrides: { signature?: string | undefined; timestamp?: string | undefined; rawBody?: Buffer } = {}, now = NOW) {
  const req = { signature: sign(SECRET, ts, body), timestamp: ts, rawBody: body, ...overrides };
  return verifyAppSignature(req, SECRET, now);
}

describe('verifyAppSignature', () => {
  it('accepts Front\'s signature over timestamp and raw body', () => {
    expect(check()).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret, or none at all', () => {
    expect(check({ signature: sign('some-other-secret', ts, body) })).toEqual({ ok: false, reason: 'bad signature' });
    expect(check({ signature: 'not-base64-at-all' })).toEqual({ ok: false, reason: 'bad signature' });
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing signature' });
    expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing timestamp' });
    expect(check({ timestamp: '12abc' })).toEqual({ ok: false, reason: 'missing timestamp' });
  });

  it('is bound to the timestamp: the signature of one moment does not cover another', () => {
    expect(check({ timestamp: String(NOW - 2_000) })).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses a correctly signed request older than five minutes, or more than five minutes ahead', () => {
    const old = String(NOW - 5 * 60_000 - 1);
    expect(check({ timestamp: old, signature: sign(SECRET, old, body) })).toEqual({ ok: false, reason: 'stale timestamp' });
    const edge = String(NOW - 5 * 60_000 + 1);
    expect(check({ timestamp: edge, signature: sign(SECRET, edge, body) })).toEqual({ ok: true });
    const future = String(NOW + 5 * 60_000 + 1);
    expect(check({ timestamp: future, signature: sign(SECRET, future, body) })).toEqual({ ok: false, reason: 'timestamp in the future' });
  });

  it('is computed over the exact bytes: re-serialised or re-encoded JSON does not verify', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(check({ rawBody: pretty })).toEqual({ ok: false, reason: 'bad signature' });
    const reordered = Buffer.from('{"payload":{"id":"evt_1"},"type":"inbound"}');
    expect(check({ rawBody: reordered })).toEqual({ ok: false, reason: 'bad signature' });
    // Non-UTF-8 bytes must be signed as sent, not as they decode.
    const latin1 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]);
    expect(check({ rawBody: latin1, signature: sign(SECRET, ts, latin1) })).toEqual({ ok: true });
    expect(check({ rawBody: latin1, signature: sign(SECRET, ts, Buffer.from(latin1.toString('utf8'))) })).toEqual({ ok: false, reason: 'bad signature' });
  });
});

describe('constantTimeEqual', () => {
  it('tells equal from different strings of any length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });
});
