// Signed deliveries (NEXT AI's guidance for inbound integrations): each POST carries the time it was
// sent and an HMAC-SHA256 over `<timestamp>.<body>`, so a receiver can check who sent the bytes and
// refuse a replay of old ones. The README's "Verifying signatures" snippet is the receiver's side;
// a test runs it against what this module produces.

import { createHmac } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-front-import-timestamp';
export const SIGNATURE_HEADER = 'x-front-import-signature';

/** Headers for one attempt; each retry is signed again, so a late retry is not refused as stale. */
export function signatureHeaders(secret: string, body: string, unixSeconds: number): Record<string, string> {
  const timestamp = String(Math.floor(unixSeconds));
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `sha256=${digest}` };
}
