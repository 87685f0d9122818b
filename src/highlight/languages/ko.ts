import type { LanguageWords } from './types.js';

export const ko: LanguageWords = {
  from: ['보낸 사람', '보낸사람'],
  header: ['보낸 날짜', '날짜', '받는 사람', '받는사람', '참조', '제목'],
  historyMarkers: ['원본 메시지', '전달된 메시지'],
  wrote: ['작성', '님이 작성'],
  device: ['APP에서 보냄'],
  signOffs: ['감사합니다', '감사합니다.', '고맙습니다'],
  greetings: ['안녕하세요'],
};
