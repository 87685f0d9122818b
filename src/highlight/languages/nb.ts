import type { LanguageWords } from './types.js';

/** Norwegian (Bokmål). */
export const nb: LanguageWords = {
  from: ['fra', 'avsender'],
  header: ['sendt', 'dato', 'til', 'kopi', 'emne'],
  historyMarkers: ['videresendt melding', 'opprinnelig melding', 'original melding'],
  wrote: ['skrev', 'skrev følgende'],
  wroteOn: ['skrev den'],
  device: ['sendt fra (?:min |mitt )?APP'],
  signOffs: ['med vennlig hilsen', 'vennlig hilsen', 'hilsen', 'mvh', 'takk'],
  greetings: ['hei', 'hallo'],
};
