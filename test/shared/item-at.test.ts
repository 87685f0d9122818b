import { describe, expect, it } from 'vitest';
import { itemAt } from '../../src/shared/item-at.ts';

describe('itemAt', () => {
  it('reads the item at a position of a list or a string', () => {
    expect(itemAt(['a', 'b', 'c'], 2)).toBe('c');
    expect(itemAt('xyz', 0)).toBe('x');
    expect(itemAt([0, false, ''], 1)).toBe(false);
  });

  it('throws a RangeError naming the index where there is no item, never counting from the end', () => {
    expect(() => itemAt(['a'], 1)).toThrow(new RangeError('no item at index 1 of a list of 1'));
    expect(() => itemAt(['a'], -1)).toThrow(RangeError);
    expect(() => itemAt(['a'], 0.5)).toThrow(RangeError);
    expect(() => itemAt(/(a)|(b)/.exec('a') ?? [], 2)).toThrow(RangeError);
  });
});
