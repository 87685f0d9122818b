import { isIP } from 'node:net';
import type { Span } from './kinds.js';

// IPv4 dotted quads and IPv6 addresses, each candidate checked by node:net. A quad that follows
// "v" or "version", or that runs on into a fifth part, is a version string, not an address.
const V4 = /(?<![\p{L}\p{N}.])(?:\d{1,3}\.){3}\d{1,3}(?![\p{N}]|\.\d)/gu;
const V6 = /(?<![\p{L}\p{N}:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\p{L}\p{N}:])/gu;
const VERSION_BEFORE = /(?:\bv|version|ver\.?|build|release)\s*$/i;

export function findIps(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(V4)) {
    if (isIP(m[0]) !== 4 || VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
    spans.push({ start: m.index, end: m.index + m[0].length, kind: 'ip' });
  }
  for (const m of text.matchAll(V6)) {
    // Times ("12:30:45") and ratios are not IPv6: node:net wants a full or "::"-shortened address.
    if (isIP(m[0]) === 6 && /[0-9A-Fa-f]/.test(m[0])) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'ip' });
  }
  return spans;
}
