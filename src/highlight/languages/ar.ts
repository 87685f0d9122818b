import type { LanguageWords } from './types.js';

export const ar: LanguageWords = {
  from: ['من'],
  header: ['تم الإرسال', 'التاريخ', 'إلى', 'نسخة', 'الموضوع'],
  historyMarkers: ['الرسالة الأصلية', 'رسالة محولة'],
  wrote: ['كتب', 'كتبت'],
  device: ['أُرسلت من APP', 'أرسلت من APP', 'مرسل من APP'],
  signOffs: ['مع التحية', 'شكرا', 'شكراً', 'تحياتي'],
  greetings: ['مرحبا', 'السلام عليكم', 'أهلا'],
};
