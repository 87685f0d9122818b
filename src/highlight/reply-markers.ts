// Words mail clients write around a reply, in the languages front-import recognises (English,
// French, German, Spanish, Portuguese, Dutch, Italian, Japanese). email-reply-parser knows the
// "On … wrote:" attribution lines; it has no table of Outlook header labels, forwarded-message
// markers or device lines for these languages, so those are listed here.

/** Labels of the first line of an Outlook/forward header block ("From: Ada <ada@…>"). */
const FROM_LABELS = ['from', 'de', 'von', 'van', 'da', '差出人', '送信者', '送信元'];
/** Labels of the lines that follow it: sent/date, to, cc, subject. */
const HEADER_LABELS = [
  'sent', 'date', 'to', 'cc', 'subject',
  'envoyé', 'envoyé le', 'date', 'à', 'a', 'cc', 'objet',
  'gesendet', 'datum', 'an', 'cc', 'betreff',
  'enviado', 'enviado el', 'fecha', 'para', 'asunto',
  'enviada', 'enviada em', 'data', 'assunto',
  'verzonden', 'verstuurd', 'aan', 'onderwerp',
  'inviato', 'data', 'oggetto',
  '送信日時', '日付', '宛先', '件名', 'cc',
];

const label = (labels: readonly string[]) =>
  new RegExp(`^\\s*\\*?\\s*(?:${[...new Set(labels)].map(escapeRegExp).join('|')})\\s*\\*?\\s*[:：]`, 'iu');

export const FROM_LINE = label(FROM_LABELS);
export const HEADER_LINE = label(HEADER_LABELS);

/** Lines that start forwarded or original mail below them, whatever follows. */
const HISTORY_MARKERS = [
  'forwarded message', 'original message', 'begin forwarded message',
  'message transféré', "message d'origine", 'message d’origine', 'début du message réexpédié', 'début du message transféré',
  'weitergeleitete nachricht', 'ursprüngliche nachricht', 'anfang der weitergeleiteten nachricht',
  'mensaje reenviado', 'mensaje original', 'inicio del mensaje reenviado',
  'mensagem encaminhada', 'mensagem original', 'início da mensagem reencaminhada', 'início da mensagem encaminhada',
  'doorgestuurd bericht', 'oorspronkelijk bericht', 'origineel bericht', 'begin doorgestuurd bericht',
  'messaggio inoltrato', 'messaggio originale', 'inizio messaggio inoltrato',
  '転送されたメッセージ', '転送メッセージ', '元のメッセージ',
];
export const HISTORY_MARKER = new RegExp(
  `^[\\s\\-=_*>]*(?:${HISTORY_MARKERS.map(escapeRegExp).join('|')})[\\s\\-=_*:：]*$`,
  'iu',
);

/** "Sent from my iPhone" and its kin: the device line a phone mail client appends. */
export const DEVICE_LINE = new RegExp(
  '^(?:' +
    [
      'sent from (?:my )?\\S.{0,40}',
      'get outlook for \\S.{0,30}',
      'envoyé (?:de|depuis) (?:mon )?\\S.{0,40}',
      'télécharger outlook pour \\S.{0,30}',
      'von meinem \\S.{0,30} gesendet',
      'gesendet von (?:meinem )?\\S.{0,40}',
      'enviado (?:desde|do|de) (?:mi |meu |o meu )?\\S.{0,40}',
      'verzonden (?:met|vanaf|van) (?:mijn )?\\S.{0,40}',
      'verstuurd (?:met|vanaf) (?:mijn )?\\S.{0,40}',
      'inviato (?:da|dal) (?:mio )?\\S.{0,40}',
      '\\S{1,20}から送信',
    ].join('|') +
    ')$',
  'iu',
);

/** A sign-off line; the name under it is the writer's own, contact lines under that are signature. */
export const SIGN_OFF = new RegExp(
  '^(?:' +
    [
      'best', 'best regards', 'kind regards', 'regards', 'warm regards', 'cheers', 'thanks', 'thank you', 'many thanks', 'thanks again', 'sincerely', 'all the best',
      'cordialement', 'bien cordialement', 'bien à vous', 'merci', 'bonne journée',
      'mit freundlichen grüßen', 'viele grüße', 'beste grüße', 'liebe grüße', 'grüße', 'danke',
      'saludos', 'un saludo', 'atentamente', 'gracias', 'saludos cordiales',
      'atenciosamente', 'obrigado', 'obrigada', 'abraços', 'cumprimentos',
      'met vriendelijke groet', 'groeten', 'hartelijke groet', 'bedankt', 'dank je',
      'cordiali saluti', 'saluti', 'grazie', 'distinti saluti',
      'よろしくお願いします', 'よろしくお願いいたします', '以上、よろしくお願いいたします',
    ].map(escapeRegExp).join('|') +
    ')[\\s,.!。、]*$',
  'iu',
);

/** An opening line with nothing else in it ("Hi,", "Hello Maria,", "Bonjour,", "Hi support 👋"). */
const GREETING_WORDS = [
  'hi', 'hello', 'hey', 'hey there', 'dear', 'good morning', 'good afternoon', 'good evening', 'greetings',
  'bonjour', 'bonsoir', 'salut', 'cher', 'chère', 'madame', 'monsieur',
  'hallo', 'guten tag', 'guten morgen', 'moin', 'servus', 'liebe', 'lieber', 'sehr geehrte', 'sehr geehrter',
  'hola', 'buenos días', 'buenas tardes', 'buenas', 'estimado', 'estimada', 'estimados',
  'olá', 'ola', 'oi', 'bom dia', 'boa tarde', 'prezado', 'prezada', 'prezados',
  'hoi', 'beste', 'geachte', 'goedemorgen', 'goedemiddag',
  'ciao', 'salve', 'buongiorno', 'buonasera', 'gentile', 'gentili', 'egregio',
];
const GREETING = new RegExp(`^(?:${GREETING_WORDS.map(escapeRegExp).join('|')})(?=$|[\\s,!.:;])`, 'iu');
const JAPANESE_GREETING = /^(?:こんにちは|こんばんは|おはようございます|お世話になっております|お世話になります|いつもお世話になっております)[。、！!]?$/u;

/** True for a line that only greets: the greeting word, at most a few words of name, punctuation. */
export function isGreeting(line: string): boolean {
  const trimmed = line.trim();
  if (JAPANESE_GREETING.test(trimmed)) return true;
  if (!GREETING.test(trimmed)) return false;
  const words = trimmed.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words.length <= 4 && !/[?]/.test(trimmed) && (words.length <= 2 || /[,!:]\s*\S{0,3}$/u.test(trimmed));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
