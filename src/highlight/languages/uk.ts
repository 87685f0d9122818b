import type { LanguageWords } from './types.js';

export const uk: LanguageWords = {
  from: ['від'],
  header: ['надіслано', 'дата', 'кому', 'копія', 'тема'],
  historyMarkers: ['перенаправлене повідомлення', 'початкове повідомлення', 'пересланий лист'],
  wrote: ['написав', 'написала', 'пише'],
  device: ['надіслано з (?:мого )?APP'],
  signOffs: ['з повагою', 'дякую'],
  greetings: ['вітаю', 'добрий день', 'привіт'],
};
