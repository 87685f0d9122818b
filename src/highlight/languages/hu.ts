import type { LanguageWords } from './types.js';

export const hu: LanguageWords = {
  from: ['feladó'],
  header: ['elküldve', 'dátum', 'címzett', 'másolat', 'tárgy'],
  historyMarkers: ['továbbított üzenet', 'eredeti üzenet', 'továbbított levél kezdete'],
  wrote: ['ezt írta'],
  device: ['az APP küldve'],
  signOffs: ['üdvözlettel', 'köszönöm'],
  greetings: ['kedves', 'szia', 'jó napot'],
};
