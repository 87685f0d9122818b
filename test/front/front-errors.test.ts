// What of Front's own error text reaches the user: secrets removed, control characters gone (C0,
// DEL and C1, whose U+009B a terminal reads as ESC [), long texts cut.

import { describe, expect, it } from 'vitest';
import { clean } from '../../src/front/front-errors.ts';

describe("Front's error text", () => {
  it('loses every control character, C1 included, so no escape sequence reaches a terminal', () => {
    expect(clean('bad\u001b[31m red\u009b2J gone\u0085next\u0000end', [])).toBe('bad [31m red 2J gone next end');
  });

  it('keeps no secret and no more than its limit', () => {
    const out = clean(`token sbx_secret_value_123 refused ${'x'.repeat(2_000)}`, ['sbx_secret_value_123']);
    expect(out).not.toContain('sbx_secret_value_123');
    expect(out.length).toBeLessThan(1_000);
    expect(out.endsWith('…')).toBe(true);
  });
});
