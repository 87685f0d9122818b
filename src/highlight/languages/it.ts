import type { LanguageWords } from './types.js';

export const it: LanguageWords = {
  from: ['da', 'mittente'],
  header: ['inviato', 'data', 'a', 'cc', 'oggetto'],
  historyMarkers: ['messaggio inoltrato', 'messaggio originale', 'inizio messaggio inoltrato'],
  wrote: ['ha scritto', 'scritto'],
  device: ['inviato (?:da|dal) (?:mio |il mio )?APP'],
  signOffs: ['cordiali saluti', 'saluti', 'grazie', 'distinti saluti', 'un saluto', 'grazie mille'],
  greetings: ['ciao', 'salve', 'buongiorno', 'buonasera', 'gentile', 'gentili', 'egregio'],
};
