// highlights.pseudonymize: a person's name and address become a stable keyed hash, so the same
// customer still groups together at the destination while who they are stays here. HMAC-SHA256
// with FRONT_IMPORT_PII_KEY: without the key nobody can confirm a guess ("is anon-… alice@x.com?"),
// which a plain hash would allow.

import { createHmac } from 'node:crypto';

const PREFIX = 'anon-';
const ANON = /^anon-[0-9a-f]{16}$/;

export type Pseudonymize = (value: string) => string;

export function pseudonymizer(key: string): Pseudonymize {
  return (value) => {
    // Already a pseudonym (a stored value read back): hashing it again would split one person in two.
    if (ANON.test(value)) return value;
    const folded = value.trim().toLowerCase();
    return PREFIX + createHmac('sha256', key).update(folded).digest('hex').slice(0, 16);
  };
}
