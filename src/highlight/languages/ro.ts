import type { LanguageWords } from './types.js';

export const ro: LanguageWords = {
  from: ['de la'],
  header: ['trimis', 'data', 'către', 'cc', 'subiect'],
  historyMarkers: ['mesaj redirecționat', 'mesaj original', 'începe mesajul redirecționat'],
  wrote: ['a scris'],
  device: ['trimis de pe APP'],
  signOffs: ['cu stimă', 'mulțumesc', 'o zi bună'],
  greetings: ['bună ziua', 'salut', 'bună'],
};
