// Writes eld's "small" n-gram database as JSON into dist/data/, run by `npm run build`.
// eld ships the database as a 1.6 MB JavaScript object literal: compiling it costs every run that
// names a Highlight's language about 0.7 CPU-seconds and 100 MB of memory, while the same data as
// JSON parses in about 0.08 s (src/highlight/language.ts reads it). It is written from the
// installed eld, so the data always matches the detector that reads it.
import { mkdirSync, writeFileSync } from 'node:fs';

const { ngramsData } = await import(new URL('../ngrams/small.js', import.meta.resolve('eld/small')).href);
const out = new URL('../dist/data/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('eld-small.json', out), JSON.stringify(ngramsData));
