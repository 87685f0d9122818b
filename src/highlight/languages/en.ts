import type { LanguageWords } from './types.js';

export const en: LanguageWords = {
  from: ['from'],
  header: ['sent', 'date', 'to', 'cc', 'bcc', 'subject', 'reply-to'],
  historyMarkers: ['forwarded message', 'original message', 'begin forwarded message', 'reply message', 'forwarded message follows'],
  wrote: ['wrote', 'writes'],
  device: ['sent from (?:my )?APP', 'sent (?:with|via|using) APP', 'get outlook for APP', 'sent on the go from APP'],
  signOffs: [
    'best', 'best regards', 'kind regards', 'regards', 'warm regards', 'cheers', 'thanks', 'thank you', 'many thanks', 'thanks again',
    'sincerely', 'all the best', 'best wishes', 'thanks in advance', 'thank you in advance', 'yours', 'yours sincerely', 'take care',
  ],
  greetings: ['hi', 'hello', 'hey', 'hey there', 'dear', 'good morning', 'good afternoon', 'good evening', 'greetings'],
};
