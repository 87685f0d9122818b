import type { LanguageWords } from './types.js';

export const pl: LanguageWords = {
  from: ['od', 'nadawca'],
  header: ['wysłano', 'wysłane', 'data', 'do', 'dw', 'temat'],
  historyMarkers: ['przekazana wiadomość', 'oryginalna wiadomość', 'wiadomość oryginalna', 'początek przekazywanej wiadomości'],
  wrote: ['napisał', 'napisała', 'napisał(a)'],
  device: ['wysłane z (?:mojego )?APP'],
  signOffs: ['pozdrawiam', 'pozdrawiam serdecznie', 'z poważaniem', 'dziękuję', 'pozdrowienia'],
  greetings: ['dzień dobry', 'cześć', 'witam', 'szanowni państwo', 'szanowny panie', 'szanowna pani'],
};
