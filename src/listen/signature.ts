// Front application-webhook signatures (front-api-NOTES "Webhooks"): base64 HMAC-SHA256 keyed with
// the app secret over `<timestamp ms>:<raw body>`. Computed over the bytes as received: re-serialised
// JSON would differ in whitespace or key order and fail, or worse, pass for a different body.

import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';

/** Older or further in the future than this is refused as a replay (or a badly wrong clock). */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export type SignatureRefusal = 'missing signature' | 'missing timestamp' | 'bad signature' | 'stale timestamp' | 'timestamp in the future';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRefusal };

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
}

export function appSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}:`).update(rawBody).digest('base64');
}

export function verifyAppSignature(req: SignedRequest, secret: string, nowMs: number, toleranceMs = SIGNATURE_TOLERANCE_MS): SignatureCheck {
  if (!req.signature) return { ok: false, reason: 'missing signature' };
  if (!req.timestamp || !/^\d{1,16}$/.test(req.timestamp)) return { ok: false, reason: 'missing timestamp' };
  if (!constantTimeEqual(req.signature, appSignature(secret, req.timestamp, req.rawBody))) {
    return { ok: false, reason: 'bad signature' };
  }
  const skew = nowMs - Number(req.timestamp);
  if (skew > toleranceMs) return { ok: false, reason: 'stale timestamp' };
  if (skew < -toleranceMs) return { ok: false, reason: 'timestamp in the future' };
  return { ok: true };
}
