// Decides whether a webhook request comes from Front. App webhooks prove it with a signature; rule
// webhooks cannot sign, so they carry a shared secret in the URL's last segment or in a header;
// --insecure-no-verify lets unauthenticated requests through for local testing only.

import type { IncomingHttpHeaders } from 'node:http';
import { constantTimeEqual } from './constant-time.js';
import { verifyAppSignature } from './signature.js';

export interface AuthSettings {
  /** App webhook signing secret. */
  secret: string | null;
  /** Rule webhook shared secret. */
  ruleSecret: string | null;
  /** Lower-case header name that may carry the rule secret. */
  ruleSecretHeader: string;
  insecure: boolean;
}

export interface AuthRequest {
  headers: IncomingHttpHeaders;
  /** The URL segment after the webhook path, if any. */
  pathSecret: string | null;
  rawBody: Buffer;
}

export type AuthResult = { ok: true; via: 'signature' | 'rule secret' | 'insecure' } | { ok: false; reason: string };

export function authenticate(req: AuthRequest, settings: AuthSettings, nowMs: number): AuthResult {
  if (req.pathSecret !== null) return checkRuleSecret(req.pathSecret, settings);
  const signature = header(req.headers, 'x-front-signature');
  if (signature !== undefined) {
    if (settings.secret === null) {
      return settings.insecure ? { ok: true, via: 'insecure' } : { ok: false, reason: 'signed request but no app secret configured' };
    }
    const timestamp = header(req.headers, 'x-front-request-timestamp');
    const check = verifyAppSignature({ signature, timestamp, rawBody: req.rawBody }, settings.secret, nowMs);
    return check.ok ? { ok: true, via: 'signature' } : check;
  }
  const ruleHeader = header(req.headers, settings.ruleSecretHeader);
  if (ruleHeader !== undefined) return checkRuleSecret(ruleHeader, settings);
  if (settings.insecure) return { ok: true, via: 'insecure' };
  return { ok: false, reason: 'missing signature' };
}

function checkRuleSecret(candidate: string, settings: AuthSettings): AuthResult {
  if (settings.ruleSecret !== null && constantTimeEqual(candidate, settings.ruleSecret)) return { ok: true, via: 'rule secret' };
  return { ok: false, reason: 'bad rule secret' };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
