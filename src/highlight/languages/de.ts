import type { LanguageWords } from './types.js';

export const de: LanguageWords = {
  from: ['von', 'absender'],
  header: ['gesendet', 'datum', 'an', 'cc', 'betreff', 'antwort an'],
  historyMarkers: ['weitergeleitete nachricht', 'ursprüngliche nachricht', 'anfang der weitergeleiteten nachricht', 'originalnachricht', 'antwort nachricht', 'original-nachricht'],
  wrote: ['schrieb', 'geschrieben'],
  wroteOn: ['schrieb am'],
  device: ['von meinem APP gesendet', 'gesendet von (?:meinem )?APP', 'gesendet mit APP', 'outlook für APP herunterladen', 'APP beziehen'],
  signOffs: ['mit freundlichen grüßen', 'mit freundlichen grüssen', 'freundliche grüße', 'viele grüße', 'beste grüße', 'liebe grüße', 'grüße', 'gruß', 'danke', 'vielen dank', 'lg', 'vg', 'mfg'],
  greetings: ['hallo', 'guten tag', 'guten morgen', 'moin', 'servus', 'liebe', 'lieber', 'sehr geehrte', 'sehr geehrter'],
};
