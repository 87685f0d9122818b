import { describe, expect, it } from 'vitest';
import { REDACTED, Secrets, scrub } from '../../src/shared/secrets.ts';

describe('Secrets', () => {
  it('replaces every occurrence of every registered secret with one marker', () => {
    const s = new Secrets(['tok_abcdef', null, undefined]);
    s.add('whsec_123456');
    expect(s.scrub('Bearer tok_abcdef, again tok_abcdef; whsec_123456')).toBe(`Bearer ${REDACTED}, again ${REDACTED}; ${REDACTED}`);
  });

  it('replaces a secret that contains another one whole', () => {
    expect(scrub('x tok_abcdef_long y', ['tok_abcdef', 'tok_abcdef_long'])).toBe(`x ${REDACTED} y`);
  });

  it('ignores values too short to be secrets, so ordinary words survive', () => {
    expect(scrub('a b abc', ['a', 'abc'])).toBe('a b abc');
  });
});
