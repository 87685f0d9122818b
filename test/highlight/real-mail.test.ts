// Extraction held to the real-mail corpus (issue 24): messages no generator of ours wrote. At least
// 95% exact overall, every language at least 90%, and no message losing an own word; the misses
// are printed so a regression names its messages.

import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import { describeMiss, loadRealMailCorpus, realMailRows, scoreRealMail } from '../../src/highlight/real-mail-corpus.ts';

const results = scoreRealMail(loadRealMailCorpus(), (message) => messageToText(message));
const rows = realMailRows(results);

describe('own words on real mail', () => {
  it('gives the exact own words for at least 95% of the corpus and at least 90% of each language', () => {
    const all = rows.find((r) => r.group === 'all')!;
    console.log(`real mail: ${all.exact}/${all.messages} exact (${((100 * all.exact) / all.messages).toFixed(1)}%)`);
    for (const miss of results.filter((r) => !r.exact)) console.log(`  miss ${describeMiss(miss)}`);
    expect(all.messages).toBeGreaterThanOrEqual(300);
    expect(all.exact / all.messages).toBeGreaterThanOrEqual(0.95);
    const weak = rows.filter((r) => r.group.startsWith('language ') && r.exact / r.messages < 0.9).map((r) => `${r.group}: ${r.exact}/${r.messages}`);
    expect(weak).toEqual([]);
  });

  it('never loses an own word', () => {
    expect(results.filter((r) => r.lostWords.length > 0).map(describeMiss)).toEqual([]);
  });
});
