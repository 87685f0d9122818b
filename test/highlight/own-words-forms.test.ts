// The forms real mail takes that the first rules missed (issue 24), one case per kind: attributions
// in other languages over unquoted history (also wrapped), original-message separators and header
// blocks in other languages, device and app lines with history below, inline and bottom replies,
// quotes that carry their own attribution, signatures without "-- ". The corpus in
// src/highlight/real-mail/ scores them on real messages; these name each rule.

import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';

const fromText = (text: string) => messageToText({ id: 'msg_1', text });
const OWN = 'Hallo,\n\nder Export bricht immer noch ab.\n\nGrüße\nMaria';
const HISTORY = 'Bitte versuchen Sie es erneut.\n\nViele Grüße\nAda';

describe('own words: attributions over unquoted history', () => {
  it.each([
    ['de', 'Am 13.12.2026 21:11 schrieb "Ada Lovelace" <ada@acme.example>:'],
    ['it', 'Il giorno 30 nov 2026, alle ore 10:00, Ada Lovelace <ada@acme.example> ha scritto:'],
    ['pl', 'W dniu 2026-11-30 10:00:39 użytkownik Ada Lovelace <ada@acme.example> napisał:'],
    ['pl, Dnia', 'Dnia 30 listopada 2026 10:00 Ada Lovelace <ada@acme.example> napisał(a):'],
    ['fi, wrapped', 'ma 30. marraskuuta 2026 klo 10.00 Ada Lovelace\n<ada@acme.example> kirjoitti:'],
    ['no, wrapped inside the address', 'man. 30. nov. 2026 kl. 10:00 skrev Ada Lovelace <ada@acme.example\n>:'],
    ['pt, wrapped', 'Em 30 de novembro de 2026 às 10:00:35, Ada Lovelace (\nada@acme.example) escreveu:'],
    ['ru', 'пн, 30 нояб. 2026 г. в 10:00, Ada Lovelace <ada@acme.example>:'],
    ['en, wrapped over three lines', 'On Nov 30, 2026,\nat 10:00,\nAda Lovelace <ada@acme.example> wrote:'],
    ['Zoho, framed', '---- On Mon, 30 Nov 2026 10:00:50 +0100 ada@acme.example wrote ----'],
  ])('%s', (_name, attribution) => {
    expect(fromText(`${OWN}\n\n${attribution}\n\n${HISTORY}`)).toBe(OWN);
  });

  it('keeps an own line above an attribution that names no date ("Thanks" is the writer’s)', () => {
    expect(fromText('Thanks\nOn Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\n\nOld text')).toBe('Thanks');
  });

  it('keeps own words that end in a colon and name an address but no date', () => {
    const text = 'Write to ada@acme.example, she said:\n\nthe export is fixed tomorrow.';
    expect(fromText(text)).toBe(text);
  });

  it('keeps the writer’s text before an attribution on the same line', () => {
    expect(fromText('Works now - thanks--- On Mon, Nov 30, 2026 at 10:00 AM, ada@acme.example wrote:\n> Try again')).toBe('Works now - thanks');
  });
});

describe('own words: separators and header blocks in other languages', () => {
  it.each([
    ['da', '-------- Oprindelig besked --------\nFra: Ada <ada@acme.example>\nDato: 30.11.2026 10.00\nTil: maria@corp.example\nEmne: Export'],
    ['de', '-----Ursprüngliche Nachricht-----\nVon: Ada <ada@acme.example>\nGesendet: Montag, 30. November 2026 10:00\nAn: Maria\nBetreff: Export'],
    ['fr', '-------- Message d’origine --------\nDe : Ada <ada@acme.example>\nDate : 30/11/2026 10:00\nÀ : Maria\nObjet : Export'],
    ['sv, no separator', 'Från: Ada Lovelace <ada@acme.example>\nSkickat: den 30 november 2026 10:00\nTill: Maria\nÄmne: Export'],
    ['a language not listed, by shape', 'Kimden: Ada Lovelace <ada@acme.example>\nTarih: 30 Kasım 2026 10:00\nKime: Maria\nKonu: Export'],
    ['French webmail, date first', '====\n\nMessage du : 30/11/2026 10:00\nDe : "Ada" <ada@acme.example>\nA : maria@corp.example\nSujet : Export'],
    ['a short block with an address and a date', 'Date: Mon, 30 Nov 2026 10:00:02 +0100\nTo: maria@corp.example'],
  ])('%s', (_name, header) => {
    expect(fromText(`${OWN}\n\n${header}\n\n${HISTORY}`)).toBe(OWN);
  });

  it('keeps own lines that mention From: without a header block', () => {
    const text = 'The data comes From: our database, not From: yours.\n\nDate: tomorrow';
    expect(fromText(text)).toBe(text);
  });
});

describe('own words: device and app lines', () => {
  it.each([
    'Sent from TypeApp <http://www.typeapp.com/r?b=2621>',
    'Sent from my Wiko RIDGE FAB 4G',
    'Gesendet von Outlook für Android <https://aka.ms/AAb9ysg>',
    'Envoyé à partir de Outlook pour iOS <https://aka.ms/o0ukef>',
    'Wysłane z mojego iPhone',
  ])('drops "%s" and the unquoted history under it', (device) => {
    expect(fromText(`${OWN}\n\n${device}\n\n${HISTORY}`)).toBe(OWN);
    expect(fromText(`${OWN}\n\n${device}`)).toBe(OWN);
  });

  it('keeps a sentence that starts like one', () => {
    const text = 'Here it is.\n\nSent from my desk, which is easier than my phone.';
    expect(fromText(text)).toBe(text);
  });
});

describe('own words: replies around quotes', () => {
  it('keeps the answers of an inline reply and drops the quotes between them', () => {
    const text = 'On Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\n> Which plan are you on?\n\nThe Team plan.\n\n> Does the export fail every time?\n\nYes, every time.';
    expect(fromText(text)).toBe('The Team plan.\n\nYes, every time.');
  });

  it('drops a bottom-post quote and the list footer quoted with it', () => {
    const text = 'Hi,\nOn Mon, Nov 30, 2026 at 10:00 AM, Ada wrote:\n> How do I clear a bucket?\n\nList the keys and delete each.\n\n> -Ada\n>\n> _______________________________________________\n> users mailing list\n> users@lists.example.org';
    expect(fromText(text)).toBe('Hi,\n\nList the keys and delete each.');
  });

  it('drops a > block that opens with its own attribution (Apple Mail quotes it too)', () => {
    expect(fromText('Tomorrow.\n\n> On Nov 30, 2026, at 10:00, Ada <ada@acme.example> wrote:\n>\n> When is it fixed?')).toBe('Tomorrow.');
  });

  it('takes a line the quoting client wrapped without `>` as part of the quote', () => {
    const text = 'Thanks!\n\nOn Mon, Nov 30, 2026 at 10:00 AM Ada <ada@acme.example> wrote:\n> The export runs every night and writes one file per workspace into the\nbucket you named.\n> Tell us if it fails.';
    expect(fromText(text)).toBe('Thanks!');
  });

  it('keeps a > block in prose with no attribution anywhere (a pasted log)', () => {
    const text = 'The CLI printed:\n> GET /v2/export 500\n\nThen:\n> retrying in 5s\n\nWhat now?';
    expect(fromText(text)).toBe(text);
  });
});

describe('own words: signatures without "-- "', () => {
  it('drops an em-dash rule with a name, title and handle under it', () => {
    expect(fromText('🎉 Works now!\n\n—\nAda Lovelace\nCEO at Acme\n\n@acme')).toBe('🎉 Works now!');
  });

  it('drops the company and phone under a full name, keeping the name', () => {
    expect(fromText('The invoice is wrong.\n\nAda Lovelace, PhD\nAcme Inc\n555-941-0697')).toBe('The invoice is wrong.\n\nAda Lovelace, PhD');
  });

  it('keeps an en-dash list and a closing paragraph of prose', () => {
    const text = 'Steps:\n– open Settings\n– click Export\n\nMaria Garcia\nwill call you at 555-941-0697 tomorrow.';
    expect(fromText(text)).toBe(text);
  });
});
