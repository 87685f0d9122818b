import type { LanguageWords } from './types.js';

export const sv: LanguageWords = {
  from: ['från', 'avsändare'],
  header: ['skickat', 'datum', 'till', 'kopia', 'ämne'],
  historyMarkers: ['vidarebefordrat meddelande', 'ursprungligt meddelande', 'originalmeddelande', 'vidarebefordrat mejl'],
  wrote: ['skrev'],
  wroteOn: ['skrev den'],
  device: ['skickat från (?:min |mitt )?APP'],
  signOffs: ['med vänliga hälsningar', 'vänliga hälsningar', 'hälsningar', 'mvh', 'tack', 'tack på förhand'],
  greetings: ['hej', 'hejsan', 'god morgon'],
};
