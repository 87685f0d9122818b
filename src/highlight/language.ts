// The language of a Highlight's text (ISO 639-1), from eld, a maintained n-gram detector (its
// "small" database: 1.6 MB, 60 languages, about 0.1 ms per text). Short texts ("ok thanks",
// "+1") are guessed wrong often enough that a wrong code would route them wrongly, so below
// MIN_LETTERS letters, or when eld itself calls the result unreliable, the language is null.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packagePath } from '../package-root.js';
import { type PackedNgrams, unpackNgrams } from './ngram-table.js';

/** What mapping needs of a detector: the text's ISO 639-1 code or null (a pure function once loaded). */
export type LanguageDetector = (text: string) => string | null;

type Eld = typeof import('eld/small')['eld'];
let loading: Promise<LanguageDetector> | null = null;

/**
 * eld's database is loaded once, when a run first maps a conversation, so `status`, `--version`
 * and a sync with nothing new never pay for it. It is read from the build's packed copy
 * (ngram-table.ts) and handed to eld's own detector (eld/src/languageDetector.js, found beside the
 * `eld/small` entry, which does the same with its JavaScript copy): about 0.05 CPU-seconds and
 * 12 MB instead of 0.7 and 100 MB (0.28 and 50 MB as plain JSON). Tests check that every key reads back as eld's own and that it names
 * every language exactly as `eld/small` does.
 */
export function loadLanguageDetector(): Promise<LanguageDetector> {
  loading ??= (async () => {
    const [{ createEld }, json] = await Promise.all([import(eldDetectorUrl()) as Promise<{ createEld: CreateEld }>, readDatabase()]);
    const { instance, loadData } = createEld();
    loadData(unpackNgrams(JSON.parse(json) as PackedNgrams));
    return detectorOf(instance);
  })();
  return loading;
}

type CreateEld = () => { instance: Eld; loadData: (data: unknown) => string };

/**
 * eld's detector module, in the first folder Node would look in for `eld` from here: wherever npm
 * put eld, hoisted or not. By hand because eld exports its entries for `import` only (each builds
 * its database as it loads) and the binary is CommonJS (rolldown.config.mjs), where
 * import.meta.resolve does not exist and require.resolve refuses an import-only package; the
 * folders are Node's own list (require.resolve.paths).
 */
function eldDetectorUrl(): string {
  for (const dir of createRequire(import.meta.url).resolve.paths('eld') ?? []) {
    const file = join(dir, 'eld', 'src', 'languageDetector.js');
    if (existsSync(file)) return pathToFileURL(file).href;
  }
  throw new Error('cannot find the eld package (eld/src/languageDetector.js): run "npm install"');
}

/** The build's packed copy of eld's database (scripts/build-eld-data.mjs). */
async function readDatabase(): Promise<string> {
  const path = packagePath('dist', 'data', 'eld-small-packed.json');
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the language database ${path} (${(err as Error).message}): run "npm run build", which writes it`);
  }
}

/** Letters (not digits, markers or URLs) a text needs before its language is named. */
export const MIN_LETTERS = 20;
/** More text than this adds nothing to the guess and only costs time. */
const MAX_INPUT = 2_000;

const NOISE = /\[[a-z][a-z0-9_-]{0,31}\]|https?:\/\/\S+|\S+@\S+/giu;

/** A detector over an eld instance (exported so a test can hold ours to `eld/small`'s). */
export function detectorOf(eld: Eld): LanguageDetector {
  return (text) => nameLanguage(eld, text);
}

function nameLanguage(eld: Eld, text: string): string | null {
  const sample = text.slice(0, MAX_INPUT).replace(NOISE, ' ');
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  // CJK scripts carry a word in one or two letters.
  const enough = letters >= MIN_LETTERS || (letters >= 6 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(sample));
  if (!enough) return null;
  const result = eld.detect(sample);
  return result.language && result.isReliable() ? result.language : null;
}
