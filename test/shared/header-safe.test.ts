import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import { headerUnsafeAt } from '../../src/shared/header-safe.ts';

/** What Node's HTTP client says about the token in an Authorization header. */
function nodeAccepts(token: string): boolean {
  try {
    validateHeaderValue('authorization', `Bearer ${token}`);
    return true;
  } catch {
    return false;
  }
}

describe('headerUnsafeAt', () => {
  it("accepts exactly what node:http accepts (its check is written out so start-up need not load node:http)", () => {
    const samples = [...Array.from({ length: 0x200 }, (_, c) => String.fromCharCode(c)), '\u2019', '\u201c', '\u2028', '\ud83d\ude00', '\ud800', '\udfff', '\uffff'];
    for (const c of samples) expect(headerUnsafeAt(`ab${c}cd`) === null, `U+${c.codePointAt(0)!.toString(16)}`).toBe(nodeAccepts(`ab${c}cd`));
  });

  it('names the character where the token stops, counted as the user sees characters', () => {
    expect(headerUnsafeAt('abc\ndef')).toBe(' at character 4');
    expect(headerUnsafeAt('\ud83d\ude00x\u201d')).toBe(' at character 1');
    expect(headerUnsafeAt('tok\u00e9n\u201d')).toBe(' at character 6');
    expect(headerUnsafeAt('plain-token_123')).toBeNull();
  });
});
