// The packed copy of eld's database (src/highlight/ngram-table.ts) must read back exactly as eld's
// own object: every key with the same languages and scores, nothing for a key it does not hold.

import { describe, expect, it } from 'vitest';
import { type NgramData, packNgrams, unpackNgrams } from '../../src/highlight/ngram-table.ts';

const { ngramsData } = (await import(new URL('../ngrams/small.js', import.meta.resolve('eld/small')).href)) as { ngramsData: NgramData };

describe('packed n-gram table', () => {
  const unpacked = unpackNgrams(JSON.parse(JSON.stringify(packNgrams(ngramsData))));

  it("reads every one of eld/small's keys back with the same languages and scores, and its type and languages", () => {
    const keys = Object.keys(ngramsData.ngrams);
    expect(keys.length).toBeGreaterThan(80_000);
    const differing = keys.filter((key) => JSON.stringify(unpacked.ngrams[key]) !== JSON.stringify(ngramsData.ngrams[key]));
    expect(differing).toEqual([]);
    expect(unpacked.type).toBe(ngramsData.type);
    expect(unpacked.languages).toEqual(ngramsData.languages);
  });

  it('answers nothing for a key it does not hold, however it sorts against the ones it does', () => {
    const keys = Object.keys(ngramsData.ngrams).sort();
    const absent = ['', '\u0000', '\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff', `${keys[0]}\u0000`, `${keys[500]!.slice(0, -1)}`, 'not an n-gram at all', '\u4e2d'];
    for (const key of absent) if (!(key in ngramsData.ngrams)) expect(unpacked.ngrams[key], JSON.stringify(key)).toBeUndefined();
  });

  it('refuses to pack a value that does not fit its byte, naming it', () => {
    const data = (ngrams: NgramData['ngrams']): NgramData => ({ type: 'test', languages: { 0: 'en' }, ngrams });
    expect(() => packNgrams(data({ ab: { 0: 300 } }))).toThrow(/a score \(300\) that does not fit in a byte/);
    expect(() => packNgrams(data({ '\u0100': { 0: 1 } }))).toThrow(/a key character \(256\)/);
    expect(unpackNgrams(packNgrams(data({ ab: { 0: 255 }, b: { 0: 0 } }))).ngrams.ab).toEqual({ 0: 255 });
  });
});
