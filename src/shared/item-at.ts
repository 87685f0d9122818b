// Reading a list at a position the code has already bounded (a loop limit, a found index, a regular
// expression's group that always takes part, a query that always answers one row). The type system
// does not follow those bounds, and a plain `list[i]` would carry `undefined` on silently if one were
// wrong; this stops there and says which index missed.

/**
 * The item at `index` (0-based, no counting from the end); a RangeError when there is none there.
 * Not for lists that hold `undefined` as a value: that reads as missing.
 */
export function itemAt<T>(list: ArrayLike<T>, index: number): T {
  const item = Number.isInteger(index) && index >= 0 ? list[index] : undefined;
  if (item === undefined) throw new RangeError(`no item at index ${index} of a list of ${list.length}`);
  return item;
}
