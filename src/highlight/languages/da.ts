import type { LanguageWords } from './types.js';

export const da: LanguageWords = {
  from: ['fra', 'afsender'],
  header: ['sendt', 'dato', 'til', 'cc', 'emne'],
  historyMarkers: ['oprindelig besked', 'oprindelig meddelelse', 'videresendt meddelelse', 'videresendt besked', 'start på videresendt besked'],
  wrote: ['skrev'],
  wroteOn: ['skrev den'],
  device: ['sendt fra (?:min |mit )?APP'],
  signOffs: ['med venlig hilsen', 'venlig hilsen', 'hilsen', 'mvh', 'tak', 'de bedste hilsner'],
  greetings: ['hej', 'kære', 'goddag'],
};
