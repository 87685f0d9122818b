// How mail clients write replies in each language the sandbox generates: what the writer says
// (greetings, lines, sign-offs) and what the client adds around it (attribution lines, Outlook
// header labels, forward markers, device lines). Written from the clients' real output, and
// independently of the rules in src/highlight, so the bench measures those rules against mail
// rather than against themselves.

export const LANGUAGES = ['en', 'fr', 'de', 'es', 'pt', 'nl', 'it', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface LanguageMail {
  greetings: string[];
  customerLines: string[];
  agentLines: string[];
  signOffs: string[];
  /** Gmail's attribution. */
  gmail(date: MailDate, who: string): string;
  /** Apple Mail's attribution. */
  apple(date: MailDate, who: string): string;
  /** Outlook's header labels: from, sent, to, subject. */
  outlook: [string, string, string, string];
  forwarded: string;
  device: string;
  months: string[];
  weekdays: string[];
}

export interface MailDate {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hh: string;
  mm: string;
}

export function mailDate(ms: number): MailDate {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), weekday: d.getUTCDay(), hh: pad(d.getUTCHours()), mm: pad(d.getUTCMinutes()) };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EN_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export const MAIL: Record<Language, LanguageMail> = {
  en: {
    greetings: ['Hi,', 'Hello team,', 'Hey there,', 'Hi support 👋', 'Dear Sir or Madam,'],
    customerLines: [
      'I tried the steps from the help center but it still does not work.',
      'This started happening yesterday after the update.',
      'Could you take a look? We have a board meeting on Friday.',
      'Our whole team is blocked until this is fixed.',
      'I attached a screenshot, the error says "Something went wrong".',
      'We were charged twice this month — please advise.',
      'The invoice total is €1.299,00 but we expected $1,199.00.',
      'It works on Chrome but not on Safari.',
      'I wrote to you yesterday: the CSV export is still empty.',
      'On Monday it worked, on Tuesday it did not.',
      'I typed <script>alert(1)</script> into the name field by accident, now the page is blank.',
      'Order #{n} never arrived 📦',
      'The link https://example.com/reset?token=abc&next=%2Fhome returns a 404.',
      'شكراً جزيلاً على المساعدة.',
      'Our admin left the company; how do we transfer ownership?',
    ],
    agentLines: [
      'Thanks for reaching out, I am looking into this now.',
      'I have reset your session; please try logging in again.',
      'I escalated this to our engineering team and will update you shortly.',
      'The refund has been issued and should appear within 5–7 business days.',
      'I applied a 20% discount to your next invoice as an apology.',
    ],
    signOffs: ['Thanks,', 'Best,', 'Cheers,', 'Kind regards,'],
    gmail: (d, who) => `On ${EN_DAYS[d.weekday]}, ${EN_MONTHS[d.month]} ${d.day}, ${d.year} at ${d.hh}:${d.mm} ${who} wrote:`,
    apple: (d, who) => `On ${EN_MONTHS[d.month]} ${d.day}, ${d.year}, at ${d.hh}:${d.mm}, ${who} wrote:`,
    outlook: ['From', 'Sent', 'To', 'Subject'],
    forwarded: '---------- Forwarded message ---------',
    device: 'Sent from my iPhone',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  },
  fr: {
    greetings: ['Bonjour,', 'Bonjour Madame,', 'Salut,'],
    customerLines: [
      "L'export CSV ne fonctionne toujours pas.",
      'Nous avons été facturés deux fois ce mois-ci.',
      "Depuis la mise à jour d'hier, impossible de me connecter.",
      'Pouvez-vous vérifier notre compte ? Merci d’avance.',
    ],
    agentLines: ['Merci pour votre message, je regarde cela tout de suite.', 'Le remboursement a été effectué.'],
    signOffs: ['Cordialement,', 'Bien à vous,', 'Merci,'],
    gmail: (d, who) => `Le ${['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'][d.weekday]} ${d.day} ${['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'][d.month]} ${d.year} à ${d.hh}:${d.mm}, ${who} a écrit :`,
    apple: (d, who) => `Le ${d.day} ${['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'][d.month]} ${d.year} à ${d.hh}:${d.mm}, ${who} a écrit :`,
    outlook: ['De', 'Envoyé', 'À', 'Objet'],
    forwarded: '---------- Message transféré ---------',
    device: 'Envoyé de mon iPhone',
    months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    weekdays: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  },
  de: {
    greetings: ['Hallo,', 'Guten Tag,', 'Sehr geehrte Damen und Herren,'],
    customerLines: [
      'Der CSV-Export funktioniert immer noch nicht.',
      'Seit dem Update gestern kann ich mich nicht mehr anmelden.',
      'Wir wurden diesen Monat doppelt belastet.',
      'Könnten Sie sich das bitte bis Freitag ansehen?',
    ],
    agentLines: ['Danke für Ihre Nachricht, ich sehe mir das gleich an.', 'Die Rückerstattung wurde veranlasst.'],
    signOffs: ['Viele Grüße,', 'Mit freundlichen Grüßen', 'Danke,'],
    gmail: (d, who) => `Am ${['So.', 'Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.'][d.weekday]}, ${d.day}. ${['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sept.', 'Okt.', 'Nov.', 'Dez.'][d.month]} ${d.year} um ${d.hh}:${d.mm} Uhr schrieb ${who}:`,
    apple: (d, who) => `Am ${d.day}.${d.month + 1}.${d.year} um ${d.hh}:${d.mm} schrieb ${who}:`,
    outlook: ['Von', 'Gesendet', 'An', 'Betreff'],
    forwarded: '---------- Weitergeleitete Nachricht ---------',
    device: 'Von meinem iPhone gesendet',
    months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
    weekdays: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
  },
  es: {
    greetings: ['Hola,', 'Buenos días,', 'Estimados,'],
    customerLines: [
      'La exportación a CSV sigue sin funcionar.',
      'Por favor, ¿pueden revisar mi cuenta?',
      'Nos han cobrado dos veces este mes.',
      'Desde la actualización de ayer no puedo iniciar sesión.',
    ],
    agentLines: ['Gracias por escribirnos, lo reviso ahora mismo.', 'Hemos emitido el reembolso.'],
    signOffs: ['Saludos,', 'Un saludo,', 'Gracias,'],
    gmail: (d, who) => `El ${['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'][d.weekday]}, ${d.day} ${['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'][d.month]} ${d.year} a las ${d.hh}:${d.mm}, ${who} escribió:`,
    apple: (d, who) => `El ${d.day} ${['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'][d.month]} ${d.year}, a las ${d.hh}:${d.mm}, ${who} escribió:`,
    outlook: ['De', 'Enviado', 'Para', 'Asunto'],
    forwarded: '---------- Mensaje reenviado ---------',
    device: 'Enviado desde mi iPhone',
    months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    weekdays: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
  },
  pt: {
    greetings: ['Olá,', 'Bom dia,', 'Prezados,'],
    customerLines: [
      'A exportação em CSV continua sem funcionar.',
      'Fomos cobrados duas vezes este mês.',
      'Desde a atualização de ontem não consigo entrar.',
      'Vocês podem verificar a nossa conta, por favor?',
    ],
    agentLines: ['Obrigado pelo contato, vou verificar agora.', 'O reembolso foi emitido.'],
    signOffs: ['Atenciosamente,', 'Obrigada,', 'Abraços,'],
    gmail: (d, who) => `Em ${['dom.', 'seg.', 'ter.', 'qua.', 'qui.', 'sex.', 'sáb.'][d.weekday]}, ${d.day} de ${['jan.', 'fev.', 'mar.', 'abr.', 'mai.', 'jun.', 'jul.', 'ago.', 'set.', 'out.', 'nov.', 'dez.'][d.month]} de ${d.year} às ${d.hh}:${d.mm}, ${who} escreveu:`,
    apple: (d, who) => `Em ${d.day} de ${['jan.', 'fev.', 'mar.', 'abr.', 'mai.', 'jun.', 'jul.', 'ago.', 'set.', 'out.', 'nov.', 'dez.'][d.month]} de ${d.year}, à(s) ${d.hh}:${d.mm}, ${who} escreveu:`,
    outlook: ['De', 'Enviado', 'Para', 'Assunto'],
    forwarded: '---------- Mensagem encaminhada ---------',
    device: 'Enviado do meu iPhone',
    months: ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
    weekdays: ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'],
  },
  nl: {
    greetings: ['Hallo,', 'Beste,', 'Goedemorgen,'],
    customerLines: [
      'De CSV-export werkt nog steeds niet.',
      'We zijn deze maand twee keer gefactureerd.',
      'Sinds de update van gisteren kan ik niet meer inloggen.',
      'Kunnen jullie naar ons account kijken?',
    ],
    agentLines: ['Bedankt voor je bericht, ik kijk er meteen naar.', 'De terugbetaling is verwerkt.'],
    signOffs: ['Met vriendelijke groet,', 'Groeten,', 'Bedankt,'],
    gmail: (d, who) => `Op ${['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'][d.weekday]} ${d.day} ${['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'][d.month]} ${d.year} om ${d.hh}:${d.mm} schreef ${who}:`,
    apple: (d, who) => `Op ${d.day} ${['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'][d.month]} ${d.year}, om ${d.hh}:${d.mm} heeft ${who} het volgende geschreven:`,
    outlook: ['Van', 'Verzonden', 'Aan', 'Onderwerp'],
    forwarded: '---------- Doorgestuurd bericht ---------',
    device: 'Verzonden vanaf mijn iPhone',
    months: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    weekdays: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
  },
  it: {
    greetings: ['Ciao,', 'Buongiorno,', 'Gentile supporto,'],
    customerLines: [
      "L'esportazione CSV non funziona ancora.",
      'Ci avete addebitato due volte questo mese.',
      "Dall'aggiornamento di ieri non riesco ad accedere.",
      'Potete controllare il nostro account, per favore?',
    ],
    agentLines: ['Grazie per il messaggio, controllo subito.', 'Il rimborso è stato emesso.'],
    signOffs: ['Cordiali saluti,', 'Grazie,', 'Saluti,'],
    gmail: (d, who) => `Il giorno ${['dom', 'lun', 'mar', 'mer', 'gio', 'ven', 'sab'][d.weekday]} ${d.day} ${['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'][d.month]} ${d.year} alle ore ${d.hh}:${d.mm} ${who} ha scritto:`,
    apple: (d, who) => `Il giorno ${d.day} ${['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'][d.month]} ${d.year}, alle ore ${d.hh}:${d.mm}, ${who} ha scritto:`,
    outlook: ['Da', 'Inviato', 'A', 'Oggetto'],
    forwarded: '---------- Messaggio inoltrato ---------',
    device: 'Inviato da iPhone',
    months: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
    weekdays: ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato'],
  },
  ja: {
    greetings: ['お世話になっております。', 'こんにちは。'],
    customerLines: ['CSVのエクスポートがまだ動きません。', '今月は二重に請求されています。', '昨日のアップデート以降ログインできません。', 'ご対応よろしくお願いいたします。'],
    agentLines: ['この件は担当チームに共有しました。', '返金手続きが完了しました。'],
    signOffs: ['よろしくお願いします。'],
    gmail: (d, who) => `${d.year}年${d.month + 1}月${d.day}日(${['日', '月', '火', '水', '木', '金', '土'][d.weekday]}) ${d.hh}:${d.mm} ${who}:`,
    apple: (d, who) => `${d.year}/${String(d.month + 1).padStart(2, '0')}/${String(d.day).padStart(2, '0')} ${d.hh}:${d.mm}、${who}のメッセージ:`,
    outlook: ['差出人', '送信日時', '宛先', '件名'],
    forwarded: '---------- 転送されたメッセージ ---------',
    device: 'iPhoneから送信',
    months: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
    weekdays: ['日曜日', '月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'],
  },
};
