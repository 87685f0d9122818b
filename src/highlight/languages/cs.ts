import type { LanguageWords } from './types.js';

export const cs: LanguageWords = {
  from: ['od'],
  header: ['odesláno', 'datum', 'komu', 'kopie', 'předmět'],
  historyMarkers: ['přeposlaná zpráva', 'původní zpráva', 'začátek přeposílané zprávy'],
  wrote: ['napsal', 'napsala', 'napsal(a)'],
  device: ['odesláno z (?:mého )?APP'],
  signOffs: ['s pozdravem', 'děkuji', 'díky'],
  greetings: ['dobrý den', 'ahoj'],
};
