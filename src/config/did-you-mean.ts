// Suggests the key a user probably meant when a config file has an unknown one.

/** The closest of `known` to `typed`, when it is close enough to be a likely typo. */
export function closestKey(typed: string, known: readonly string[]): string | null {
  let best: { key: string; distance: number } | null = null;
  for (const key of known) {
    const distance = editDistance(typed.toLowerCase(), key.toLowerCase());
    const tolerance = Math.max(2, Math.floor(key.length / 3));
    if (distance <= tolerance && (best === null || distance < best.distance)) best = { key, distance };
  }
  return best?.key ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
