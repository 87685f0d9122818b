import type { LanguageWords } from './types.js';

export const ja: LanguageWords = {
  from: ['差出人', '送信者', '送信元', '差出人名'],
  header: ['送信日時', '日付', '宛先', '件名', 'cc', '送信日'],
  historyMarkers: ['転送されたメッセージ', '転送メッセージ', '元のメッセージ', 'オリジナル メッセージ'],
  wrote: ['のメッセージ', 'は書きました', 'さんは書きました'],
  device: ['APPから送信'],
  signOffs: ['よろしくお願いします', 'よろしくお願いいたします', '以上、よろしくお願いいたします', 'よろしくお願い致します'],
  greetings: [],
};
