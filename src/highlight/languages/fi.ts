import type { LanguageWords } from './types.js';

export const fi: LanguageWords = {
  from: ['lähettäjä'],
  header: ['lähetetty', 'päivämäärä', 'vastaanottaja', 'kopio', 'aihe'],
  historyMarkers: ['välitetty viesti', 'alkuperäinen viesti', 'välitetty viesti alkaa', 'edelleenlähetetty viesti'],
  wrote: ['kirjoitti'],
  device: ['lähetetty (?:laitteesta|sovelluksesta) APP', 'lähetetty APP'],
  signOffs: ['terveisin', 'ystävällisin terveisin', 'kiitos', 'parhain terveisin'],
  greetings: ['hei', 'moi', 'terve', 'hyvää päivää'],
};
