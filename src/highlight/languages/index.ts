// Every language's words, in one list per kind (see types.ts). Adding a language: a file beside
// this one and a line below.

import { ar } from './ar.js';
import { cs } from './cs.js';
import { da } from './da.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fi } from './fi.js';
import { fr } from './fr.js';
import { hu } from './hu.js';
import { it } from './it.js';
import { ja } from './ja.js';
import { ko } from './ko.js';
import { nb } from './nb.js';
import { nl } from './nl.js';
import { pl } from './pl.js';
import { pt } from './pt.js';
import { ro } from './ro.js';
import { ru } from './ru.js';
import { sv } from './sv.js';
import { tr } from './tr.js';
import type { LanguageWords } from './types.js';
import { uk } from './uk.js';
import { zh } from './zh.js';

export const LANGUAGE_WORDS: Readonly<Record<string, LanguageWords>> = { en, fr, de, es, pt, nl, it, ja, pl, fi, sv, da, nb, ru, uk, zh, ko, cs, tr, hu, ro, ar };

/** The union of one kind of word over every language, without repeats. */
export function allWords(kind: keyof LanguageWords): string[] {
  return [...new Set(Object.values(LANGUAGE_WORDS).flatMap((words) => words[kind] ?? []))];
}
