// The language detector reads eld's database from the build's JSON copy (src/highlight/language.ts);
// it must name every language exactly as eld's own `eld/small` entry does, on real mail from outside
// the project in many languages, and keep the rules that make short texts nameless.

import { eld } from 'eld/small';
import { describe, expect, it } from 'vitest';
import { detectorOf, loadLanguageDetector, MIN_LETTERS } from '../../src/highlight/language.ts';
import { expectedText, loadRealMailCorpus } from '../../src/highlight/real-mail-corpus.ts';

const detect = await loadLanguageDetector();
const reference = detectorOf(eld);

describe('language detector', () => {
  it('names the language of every real-mail message exactly as eld/small does, across at least eight languages', () => {
    const texts = loadRealMailCorpus().map(expectedText).filter((text) => text.length > 0);
    const named = new Set<string>();
    for (const text of texts) {
      const ours = detect(text);
      expect(ours, text.slice(0, 80)).toBe(reference(text));
      if (ours !== null) named.add(ours);
    }
    expect(texts.length).toBeGreaterThan(200);
    expect(named.size).toBeGreaterThanOrEqual(8);
  });

  it('names plain sentences and leaves short ones nameless', () => {
    expect(detect('Seit dem Update gestern kann ich mich nicht mehr anmelden, bitte helfen Sie mir.')).toBe('de');
    expect(detect("L'export CSV ne fonctionne toujours pas depuis la mise à jour de lundi.")).toBe('fr');
    expect(detect('ok thanks')).toBeNull();
    expect('ok thanks'.length).toBeLessThan(MIN_LETTERS);
  });
});
