// Writes eld's "small" n-gram database, packed (src/highlight/ngram-table.ts), into dist/data/,
// run by `npm run build` once rolldown has written dist/. eld ships the database as a 1.6 MB
// JavaScript object literal: compiling it costs every run that names a Highlight's language about
// 0.7 CPU-seconds and 100 MB of memory, and even as JSON building its 81,206-key object costs 0.28
// and 50 MB; packed, it loads in about 0.05 s and 12 MB (src/highlight/language.ts reads it). It is written
// from the installed eld, so the data always matches the detector that reads it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { packNgrams } from '../dist/highlight/ngram-table.js';

const { ngramsData } = await import(new URL('../ngrams/small.js', import.meta.resolve('eld/small')).href);
const out = new URL('../dist/data/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('eld-small-packed.json', out), JSON.stringify(packNgrams(ngramsData)));
