import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBody } from '../../src/listen/read-body.ts';

/** A stream of `count` chunks of `size` bytes that records how many bytes were pulled from it. */
function source(count: number, size: number) {
  const state = { pulled: 0 };
  let left = count;
  const stream = new Readable({
    highWaterMark: size,
    read() {
      if (left === 0) return void this.push(null);
      left -= 1;
      state.pulled += size;
      this.push(Buffer.alloc(size, 0x61));
    },
  });
  return { stream, state };
}

describe('readBody', () => {
  it('returns the whole body when it fits', async () => {
    const { stream } = source(4, 1000);
    const result = await readBody(stream, 4000);
    expect(result.ok && result.body.length).toBe(4000);
  });

  it('stops reading soon after the limit instead of consuming the rest', async () => {
    const { stream, state } = source(1000, 1024);
    const result = await readBody(stream, 10 * 1024);
    expect(result).toEqual({ ok: false, reason: 'too large' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // A chunk or two of read-ahead past the limit at most, not the 1000 KiB on offer.
    expect(state.pulled).toBeLessThan(16 * 1024);
  });

  it('refuses a declared length over the limit without reading anything', async () => {
    const { stream, state } = source(10, 10);
    expect(await readBody(stream, 50, '51')).toEqual({ ok: false, reason: 'too large' });
    expect(state.pulled).toBe(0);
  });

  it('reports a body cut off by the sender as aborted', async () => {
    const stream = new Readable({ read() {} });
    const pending = readBody(stream, 1000);
    stream.push(Buffer.from('{"partial":'));
    stream.destroy(new Error('socket hang up'));
    expect(await pending).toEqual({ ok: false, reason: 'aborted' });
  });
});
