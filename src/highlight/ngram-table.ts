// eld's n-gram database in a form a process loads in a few milliseconds. eld ships it as one object
// of 81,206 keys, each an object of language -> score: building that object cost every process
// that names a language about 0.28 CPU-seconds and 50 MB (most of a small sync's own work). eld's
// detector only ever looks a key up (calculateScores in eld/src/languageDetector.js reads
// `ngrams[bytes]` and iterates the languages of what it finds), so the same data is kept packed:
// the keys sorted in one string, found by binary search, and the (language, score) pairs in one
// byte array; a lookup builds the small object the detector iterates. No library packs a
// JavaScript object this way for a reader that only indexes it.

/** eld's database as its entries hand it to loadData (eld/src/ngrams/*.js). */
export interface NgramData {
  type: string;
  languages: Record<string, string>;
  isSubset?: boolean;
  ngrams: Record<string, Record<string, number>>;
}

/** The database as the build writes it (JSON): the same data, its bulk in base64 byte arrays. */
export interface PackedNgrams {
  type: string;
  languages: Record<string, string>;
  isSubset: boolean;
  /** Every key, sorted, one after another, one byte per character (latin1). */
  keys: string;
  /** Each key's length in characters. */
  keyLengths: string;
  /** How many (language, score) pairs each key has. */
  pairCounts: string;
  /** language index, score; for each key in turn. */
  pairs: string;
}

/** Packs eld's database; throws if a value does not fit a byte, so an eld update that changes its ranges fails the build. */
export function packNgrams(data: NgramData): PackedNgrams {
  const keys = Object.keys(data.ngrams).sort(compareKeys);
  const keyLengths = new Uint8Array(keys.length);
  const pairCounts = new Uint8Array(keys.length);
  const pairs: number[] = [];
  keys.forEach((key, i) => {
    keyLengths[i] = byte(key.length, 'a key length');
    for (const char of key) byte(char.charCodeAt(0), 'a key character');
    const scores = Object.entries(data.ngrams[key] ?? {});
    pairCounts[i] = byte(scores.length, 'the languages of one key');
    for (const [language, score] of scores) pairs.push(byte(Number(language), 'a language index'), byte(score, 'a score'));
  });
  return {
    type: data.type,
    languages: data.languages,
    isSubset: Boolean(data.isSubset),
    keys: Buffer.from(keys.join(''), 'latin1').toString('base64'),
    keyLengths: Buffer.from(keyLengths).toString('base64'),
    pairCounts: Buffer.from(pairCounts).toString('base64'),
    pairs: Buffer.from(Uint8Array.from(pairs)).toString('base64'),
  };
}

/** What eld's loadData takes, with `ngrams` answering lookups from the packed table. */
export function unpackNgrams(packed: PackedNgrams): NgramData {
  const keys = Buffer.from(packed.keys, 'base64').toString('latin1');
  const keyLengths = Buffer.from(packed.keyLengths, 'base64');
  const pairCounts = Buffer.from(packed.pairCounts, 'base64');
  const pairs = Buffer.from(packed.pairs, 'base64');
  const count = keyLengths.length;
  const keyStart = new Uint32Array(count + 1);
  const pairStart = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) {
    keyStart[i + 1] = (keyStart[i] ?? 0) + (keyLengths[i] ?? 0);
    pairStart[i + 1] = (pairStart[i] ?? 0) + 2 * (pairCounts[i] ?? 0);
  }

  /** The sign of (key i) - `key`, by UTF-16 code unit as Array.prototype.sort orders them. */
  const compareAt = (i: number, key: string): number => {
    const start = keyStart[i] ?? 0;
    const length = keyLengths[i] ?? 0;
    const shorter = Math.min(length, key.length);
    for (let c = 0; c < shorter; c++) {
      const diff = keys.charCodeAt(start + c) - key.charCodeAt(c);
      if (diff !== 0) return diff;
    }
    return length - key.length;
  };

  const lookup = (key: string): Record<number, number> | undefined => {
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareAt(mid, key);
      if (order === 0) {
        const scores: Record<number, number> = {};
        for (let p = pairStart[mid] ?? 0; p < (pairStart[mid + 1] ?? 0); p += 2) scores[pairs[p] ?? 0] = pairs[p + 1] ?? 0;
        return scores;
      }
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };

  const ngrams = new Proxy({} as Record<string, Record<string, number>>, {
    get: (_target, key) => (typeof key === 'string' ? lookup(key) : undefined),
  });
  return { type: packed.type, languages: packed.languages, isSubset: packed.isSubset, ngrams };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byte(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) throw new Error(`eld's database has ${what} (${value}) that does not fit in a byte: src/highlight/ngram-table.ts needs a wider field`);
  return value;
}
