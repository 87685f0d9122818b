import type { LanguageWords } from './types.js';

export const tr: LanguageWords = {
  from: ['kimden', 'gönderen'],
  header: ['gönderildi', 'tarih', 'kime', 'bilgi', 'konu'],
  historyMarkers: ['iletilmiş mesaj', 'orijinal mesaj', 'özgün ileti'],
  wrote: ['yazdı', 'şunu yazdı'],
  device: ["APP'dan gönderildi", "APP'den gönderildi"],
  signOffs: ['saygılarımla', 'teşekkürler', 'iyi çalışmalar'],
  greetings: ['merhaba', 'sayın'],
};
