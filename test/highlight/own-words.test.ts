import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import type { FrontMessage } from '../../src/front/types.ts';

const fromText = (text: string) => messageToText({ id: 'msg_1', text, body: '<p>unused</p>' });
const fromHtml = (body: string) => messageToText({ id: 'msg_1', body });
const OWN = 'Hi,\n\nThe export still fails with a 500.\n\nThanks,\nMaria';

describe('own words: plain text', () => {
  it.each([
    ['Gmail (en)', 'On Mon, Nov 30, 2026 at 10:00 AM Ada Lovelace <ada@acme.example> wrote:'],
    ['Gmail (fr)', 'Le lun. 30 nov. 2026 à 10:00, Ada Lovelace <ada@acme.example> a écrit :'],
    ['Gmail (de)', 'Am Mo., 30. Nov. 2026 um 10:00 Uhr schrieb Ada Lovelace <ada@acme.example>:'],
    ['Gmail (es)', 'El lun, 30 nov 2026 a las 10:00, Ada Lovelace (<ada@acme.example>) escribió:'],
    ['Gmail (pt)', 'Em seg., 30 de nov. de 2026 às 10:00, Ada Lovelace <ada@acme.example> escreveu:'],
    ['Gmail (nl)', 'Op ma 30 nov 2026 om 10:00 schreef Ada Lovelace <ada@acme.example>:'],
    ['Gmail (it)', 'Il giorno lun 30 nov 2026 alle ore 10:00 Ada Lovelace <ada@acme.example> ha scritto:'],
    ['Gmail (ja)', '2026年11月30日(月) 10:00 Ada Lovelace <ada@acme.example>:'],
    ['Apple Mail (en)', 'On Nov 30, 2026, at 10:00, Ada Lovelace <ada@acme.example> wrote:'],
    ['Apple Mail (ja)', '2026/11/30 10:00、Ada Lovelace <ada@acme.example>のメッセージ:'],
    ['wrapped over two lines', 'On Mon, Nov 30, 2026 at 10:00 AM Ada Lovelace <\nada@acme.example> wrote:'],
  ])('drops a %s attribution with its > block', (_name, attribution) => {
    expect(fromText(`${OWN}\n\n${attribution}\n> Please try again.\n>\n> Best,\n> Ada`)).toBe(OWN);
  });

  it.each([
    ['en', 'From: Ada Lovelace <ada@acme.example>\nSent: Monday, November 30, 2026 10:00 AM\nTo: Maria <maria@corp.example>\nSubject: RE: Export'],
    ['en, no address', 'From: Ada Lovelace\nSent: Monday, November 30, 2026 10:00 AM\nTo: Maria\nSubject: RE: Export'],
    ['fr', 'De : Ada Lovelace <ada@acme.example>\nEnvoyé : lundi 30 novembre 2026 10:00\nÀ : Maria\nObjet : RE: Export'],
    ['de', 'Von: Ada Lovelace <ada@acme.example>\nGesendet: Montag, 30. November 2026 10:00\nAn: Maria\nBetreff: AW: Export'],
    ['es', 'De: Ada Lovelace <ada@acme.example>\nEnviado: lunes, 30 de noviembre de 2026 10:00\nPara: Maria\nAsunto: RE: Export'],
    ['pt', 'De: Ada Lovelace <ada@acme.example>\nEnviada em: segunda-feira, 30 de novembro de 2026 10:00\nPara: Maria\nAssunto: RE: Export'],
    ['nl', 'Van: Ada Lovelace <ada@acme.example>\nVerzonden: maandag 30 november 2026 10:00\nAan: Maria\nOnderwerp: RE: Export'],
    ['it', 'Da: Ada Lovelace <ada@acme.example>\nInviato: lunedì 30 novembre 2026 10:00\nA: Maria\nOggetto: R: Export'],
    ['ja', '差出人: Ada Lovelace <ada@acme.example>\n送信日時: 2026年11月30日 10:00\n宛先: Maria\n件名: RE: Export'],
  ])('drops an Outlook header block (%s) and the unquoted history under it', (_lang, header) => {
    const history = 'Please try again.\n\nBest,\nAda';
    expect(fromText(`${OWN}\n\n________________________________\n${header}\n\n${history}`)).toBe(OWN);
    expect(fromText(`${OWN}\n\n${header}\n\n${history}`)).toBe(OWN);
  });

  it.each([
    '---------- Forwarded message ---------',
    'Begin forwarded message:',
    '-----Original Message-----',
    '-------- Message transféré --------',
    '---------- Weitergeleitete Nachricht ----------',
    '---------- Mensaje reenviado ---------',
    '---------- Mensagem encaminhada ---------',
    '---------- Doorgestuurd bericht ---------',
    '---------- Messaggio inoltrato ---------',
    '---------- 転送されたメッセージ ---------',
  ])('drops forwarded mail under "%s"', (marker) => {
    expect(fromText(`${OWN}\n\n${marker}\nFrom: Bob <bob@x.example>\nDate: Mon\n\nOld text`)).toBe(OWN);
  });

  it.each([
    ['-- ', `${OWN}\n\n-- \nMaria García\nHead of Ops, Corp\n+34 600 000 000`],
    ['Sent from my iPhone', `${OWN}\n\nSent from my iPhone`],
    ['Envoyé de mon iPhone', `${OWN}\n\nEnvoyé de mon iPhone`],
    ['Von meinem iPhone gesendet', `${OWN}\n\nVon meinem iPhone gesendet`],
    ['Enviado desde mi iPhone', `${OWN}\n\nEnviado desde mi iPhone`],
    ['Enviado do meu iPhone', `${OWN}\n\nEnviado do meu iPhone`],
    ['Verzonden vanaf mijn iPhone', `${OWN}\n\nVerzonden vanaf mijn iPhone`],
    ['Inviato da iPhone', `${OWN}\n\nInviato da iPhone`],
    ['iPhoneから送信', `${OWN}\n\niPhoneから送信`],
    ['Get Outlook for iOS', `${OWN}\n\nGet Outlook for iOS`],
    ['contact lines under the name', `${OWN}\nOperations Lead | Corp Inc.\n+1 (555) 010-0199\nwww.corp.example`],
    ['device line and quote', `${OWN}\n\nSent from my iPhone\n\nOn Nov 30, 2026, at 10:00, Ada <ada@acme.example> wrote:\n> Hi`],
  ])('drops a signature (%s)', (_name, text) => {
    expect(fromText(text)).toBe(OWN);
  });

  it('keeps a > block in the middle of prose: a pasted log is the writer’s', () => {
    const text = 'Hi,\n\nHere is what the CLI printed:\n> GET /v2/export 500\n> retrying in 5s\n\nWhat does it mean?\n\nThanks,\nMaria';
    expect(fromText(text)).toBe(text);
  });

  it('keeps a message that only mentions writing, and "--" lines inside a long log', () => {
    const mention = 'Hi,\n\nI wrote to you yesterday: the export fails.\nOn Monday it worked.';
    expect(fromText(mention)).toBe(mention);
    const log = `The job printed:\n--\n${Array.from({ length: 12 }, (_, i) => `step ${i} ok`).join('\n')}`;
    expect(fromText(log)).toBe(log);
  });

  it('keeps a reply written below the quote', () => {
    const text = 'On Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\n> Did it work?\n\nNo, it still fails.';
    expect(fromText(text)).toBe('No, it still fails.');
  });

  it('keeps the original when stripping would leave nothing', () => {
    const text = 'On Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\n> Did it work?';
    expect(fromText(text)).toBe(text);
  });
});

describe('own words: HTML', () => {
  const ownHtml = '<div dir="ltr"><div>Hi,</div><div><br></div><div>The export still fails with a 500.</div><div><br></div><div>Thanks,</div><div>Maria</div></div>';

  it.each([
    ['Gmail div.gmail_quote', '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 30, 2026 at 10:00 AM Ada &lt;<a href="mailto:ada@acme.example">ada@acme.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Please try again.<br>Ada</blockquote></div>'],
    ['Apple Mail blockquote type=cite', '<div><br><blockquote type="cite"><div>On Nov 30, 2026, at 10:00, Ada wrote:</div><div>Please try again.</div></blockquote></div>'],
    ['Apple Mail attribution outside the blockquote', '<div><br></div><div>On Nov 30, 2026, at 10:00, Ada Lovelace &lt;ada@acme.example&gt; wrote:<br></div><blockquote type="cite"><div>Please try again.</div></blockquote>'],
    ['Front blockquote', '<blockquote type="cite" class="front-blockquote">On November 30, 2026 at 10:00 AM GMT+1, <a href="mailto:ada@acme.example">ada@acme.example</a> wrote:<br><div class="front-email-body">Please try again.</div></blockquote>'],
    ['Outlook divRplyFwdMsg', '<div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Ada Lovelace &lt;ada@acme.example&gt;<br><b>Sent:</b> Monday, November 30, 2026 10:00 AM<br><b>To:</b> Maria<br><b>Subject:</b> RE: Export</font><div>&nbsp;</div></div><div>Please try again.</div>'],
    ['Outlook border-top separator', '<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>Från:</b> Ada Lovelace &lt;ada@acme.example&gt;<br><b>Skickat:</b> den 30 november 2026 10:00</p></div></div><p class="MsoNormal">Please try again.</p>'],
  ])('drops a %s', (_name, quote) => {
    expect(fromHtml(ownHtml + quote)).toBe(OWN);
  });

  it('keeps a blockquote in prose that no attribution introduces, as the reader sees it (no `>`)', () => {
    expect(fromHtml('<p>The CLI printed:</p><blockquote>GET /v2/export 500</blockquote><p>Why?</p>')).toBe(
      'The CLI printed:\n\nGET /v2/export 500\n\nWhy?',
    );
  });

  it('drops a plain blockquote right after an attribution line (no class, as many webmails send it)', () => {
    const html = `${ownHtml}<div>On Mon, Nov 30, 2026 at 10:00 AM Ada &lt;ada@acme.example&gt; wrote:</div><blockquote><div>Please try again.</div></blockquote>`;
    expect(fromHtml(html)).toBe(OWN);
  });

  it.each([
    ['Hotmail hr#stopSpelling', '<hr id="stopSpelling">Date: Mon, 30 Nov 2026 10:00<br>From: ada@acme.example<br>Subject: Export<br><br>Please try again.'],
    ['Zimbra hr over a header block', '<hr><b>From: </b>ada@acme.example<br><b>To: </b>maria@corp.example<br><b>Sent: </b>Monday, November 30, 2026 10:00:01 AM<br><b>Subject: </b>Export<br><br><p>Please try again.</p>'],
    ['Yahoo quoted div by id', '<div id="yahoo_quoted_1234"><div>On Monday, November 30, 2026, 10:00:00 AM GMT+1, Ada &lt;ada@acme.example&gt; wrote:</div><div>Please try again.</div></div>'],
  ])('drops history under a %s', (_name, history) => {
    expect(fromHtml(ownHtml + history)).toBe(OWN);
  });

  it('renders lists and links the way the plain text writes them', () => {
    const html = '<p>Steps:</p><ul><li>open Settings</li><li>click Export</li></ul><p>See <a href="https://status.example.com/?a=1&amp;b=2">the status page</a>.</p>';
    const text = 'Steps:\n* open Settings\n* click Export\n\nSee the status page <https://status.example.com/?a=1&b=2>.';
    expect(fromHtml(html)).toBe('Steps:\n\n- open Settings\n- click Export\n\nSee the status page (https://status.example.com/?a=1&b=2).');
    expect(fromText(text)).toBe('Steps:\n- open Settings\n- click Export\n\nSee the status page (https://status.example.com/?a=1&b=2).');
  });

  it('keeps the paragraphs of a body that is plain text without markup', () => {
    const message: FrontMessage = { id: 'msg_1', body: 'First line\nsecond line\n\nNew paragraph &amp; more' };
    expect(messageToText(message)).toBe('First line\nsecond line\n\nNew paragraph & more');
  });

  it('cannot be tricked by private-use characters in the input', () => {
    expect(fromText('Keep \uE001 this\nand this')).toBe('Keep this\nand this');
  });
});
