// Secret comparison that takes the same time whatever the inputs: both sides are hashed first, so
// timingSafeEqual always sees equal-length buffers and not even the secret's length leaks.

import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();

export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
