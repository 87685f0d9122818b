import type { Span } from './kinds.js';
import { itemAt } from '../shared/item-at.js';

// Written by hand: no maintained library finds addresses inside prose. Unicode letters in the
// local part and the domain (RFC 6531), plus-addressing and dots; every quantifier is bounded and
// the classes do not overlap across the '@', so a long run of letters cannot make it backtrack.
const EMAIL = /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.){1,8}(\p{L}{2,24})(?![\p{L}\p{N}])/gu;
/** "logo@2x.png" is a retina image's file name, not an address: no top-level domain is a file type. */
const FILE_TYPES = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'pdf', 'js', 'css', 'html', 'json', 'txt', 'zip']);

export function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(EMAIL)) {
    if (FILE_TYPES.has(itemAt(m, 1).toLowerCase())) continue;
    spans.push({ start: m.index, end: m.index + m[0].length, kind: 'email' });
  }
  return spans;
}
