import type { LanguageWords } from './types.js';

export const fr: LanguageWords = {
  from: ['de', 'expéditeur'],
  header: ['envoyé', 'envoyé le', 'date', 'à', 'cc', 'objet', 'répondre à'],
  historyMarkers: ['message transféré', "message d'origine", 'message d’origine', 'début du message réexpédié', 'début du message transféré', 'message transmis', 'message original'],
  wrote: ['a écrit', 'écrit'],
  device: ['envoyé (?:de|depuis) (?:mon |ma )?APP', 'envoyé à partir de APP', 'télécharger outlook pour APP', 'obtenir outlook pour APP'],
  signOffs: ['cordialement', 'bien cordialement', 'bien à vous', 'merci', 'merci beaucoup', 'bonne journée', 'salutations', 'amicalement', 'à bientôt', 'merci d’avance', "merci d'avance"],
  greetings: ['bonjour', 'bonsoir', 'salut', 'cher', 'chère', 'madame', 'monsieur'],
};
