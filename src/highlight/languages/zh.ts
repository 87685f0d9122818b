import type { LanguageWords } from './types.js';

export const zh: LanguageWords = {
  from: ['发件人', '寄件者', '寄件人', '發件人'],
  header: ['发送时间', '日期', '收件人', '抄送', '主题', '寄件日期', '收件者', '副本', '主旨', '時間'],
  historyMarkers: ['原始邮件', '转发的邮件', '原始郵件', '轉寄郵件', '转发邮件'],
  wrote: ['写道', '寫道'],
  device: ['发自我的APP', '從我的APP傳送', '发自APP'],
  signOffs: ['谢谢', '谢谢！', '此致', '祝好', '顺祝商祺', '謝謝'],
  greetings: ['你好', '您好', '大家好'],
};
