// Reads a request body into memory up to a limit. Past the limit it stops reading at once (the
// stream is paused, not drained) so a hostile sender cannot make the listener buffer or even
// consume an unbounded body.

import type { Readable } from 'node:stream';

export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too large' | 'aborted' };

export function readBody(stream: Readable, limitBytes: number, declaredLength?: string): Promise<BodyResult> {
  if (declaredLength !== undefined && Number(declaredLength) > limitBytes) return Promise.resolve({ ok: false, reason: 'too large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        stream.pause();
        finish({ ok: false, reason: 'too large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = () => finish({ ok: false, reason: 'aborted' });
    const onClose = () => finish({ ok: false, reason: 'aborted' });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
