// Generated message bodies as mail clients write them: the writer's own words, then what the
// client adds (a quote of the message replied to, forwarded mail, a signature), in plain `text` and
// HTML `body` forms, with the own words kept as ground truth so tests and the bench can score
// front-import's extraction. A pure function of a seed and the context.

import { escapeHtml } from '../shared/escape-html.js';
import { type Language, LANGUAGES, MAIL, mailDate } from './mail-languages.js';
import { seededRandom, type Random } from './random.js';
import { itemAt } from '../shared/item-at.js';

export const MAIL_FORMATS = ['gmail', 'outlook', 'outlook-desktop', 'apple', 'front', 'forward', 'log', 'plain', 'chat'] as const;
export type MailFormat = (typeof MAIL_FORMATS)[number];

export interface Person {
  name: string | null;
  handle: string;
}

export interface MailContext {
  inbound: boolean;
  /** Who writes; the name signs the message. */
  writer: Person;
  /** Who the message goes to (Outlook's To: line of a quote). */
  reader: Person;
  subject: string;
  /** Language of the conversation. */
  language: Language;
  /** The message this one replies to, which email formats quote. */
  quoted: { ownWords: string; writer: Person; atMs: number } | null;
}

export interface GeneratedMail {
  body: string;
  /** Absent for chat messages and for emails Front got without a plain-text part. */
  text: string | undefined;
  ownWords: string;
  /** Lines the client added (quote, forwarded mail, signature) that are not also own lines. */
  foreignLines: string[];
  format: MailFormat;
  language: Language;
}

type Block = { kind: 'p'; lines: string[] } | { kind: 'list'; items: string[] } | { kind: 'link'; label: string; href: string } | { kind: 'log'; lines: string[] };
type Signature = 'none' | 'delimiter' | 'contact' | 'device';

/** Ground truth: the form front-import's text is meant to have (lists "- item", links "label (url)"). */
function canonical(block: Block): string {
  switch (block.kind) {
    case 'p':
      return block.lines.join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'link':
      return `See ${block.label} (${block.href}).`;
    case 'log':
      return block.lines.map((line) => `> ${line}`).join('\n');
  }
}

/** Gmail's plain-text part writes lists with "*" and links with angle brackets; others like the canonical form. */
function clientPlain(block: Block, format: MailFormat): string {
  if (format === 'gmail' || format === 'forward') {
    if (block.kind === 'list') return block.items.map((item) => `* ${item}`).join('\n');
    if (block.kind === 'link') return `See ${block.label} <${block.href}>.`;
  }
  return canonical(block);
}

function html(block: Block, format: MailFormat): string {
  const lines = (ls: string[]) => ls.map(escapeHtml).join('<br>');
  const gmailish = format === 'gmail' || format === 'forward' || format === 'log';
  switch (block.kind) {
    case 'p':
      return gmailish ? `${block.lines.map((l) => `<div>${escapeHtml(l)}</div>`).join('')}<div><br></div>` : `<p>${lines(block.lines)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
    case 'link':
      return `<p>See&nbsp;<a href="${escapeHtml(block.href)}">${escapeHtml(block.label)}</a>.</p>`;
    case 'log':
      return `<div>${block.lines.map((l) => `&gt; ${escapeHtml(l)}`).join('<br>')}</div><div><br></div>`;
  }
}

export function generateMail(seed: number, ctx: MailContext): GeneratedMail {
  const rng = seededRandom(seed, 'mail');
  const lang = MAIL[ctx.language];
  const format = pickFormat(rng, ctx);
  const blocks = ownBlocks(rng, ctx, format);
  const ownWords = blocks.map(canonical).join('\n\n');
  const signature: Signature = format === 'chat' ? 'none' : itemAt(['none', 'delimiter', 'contact', 'device'] as const, rng.weighted([40, 20, 20, 20]));
  const sig = signatureOf(signature, ctx, lang.device, rng);
  const history = historyOf(format, ctx, rng);

  const plainOwn = blocks.map((b) => clientPlain(b, format)).join('\n\n');
  const text = [plainOwn, sig.plain, history.plain].filter(Boolean).join('\n\n');
  const ownHtml = blocks.map((b) => html(b, format)).join('');
  let body: string;
  // Some chat channels send no markup at all: the body is the escaped text, line breaks and all.
  if (format === 'chat') body = rng.chance(0.3) ? escapeHtml(plainOwn) : `<div dir="auto">${ownHtml}</div>`;
  else if (format === 'apple') body = `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto">${ownHtml}${sig.html}${history.html}</body></html>`;
  else if (format === 'outlook-desktop') body = `<div class="WordSection1">${ownHtml}${sig.html}${history.html}</div>`;
  else body = `<div dir="ltr">${ownHtml}${sig.html}</div>${history.html}`;
  const hasText = format !== 'chat' && rng.chance(0.8);
  const own = new Set(ownWords.split('\n').map((line) => line.trim()));
  const foreignLines = [sig.plain, history.plain]
    .flatMap((part) => part.split('\n'))
    .map((line) => line.replace(/^>\s?/, '').trim())
    .filter((line) => line && !own.has(line));
  return { body, text: hasText ? text : undefined, ownWords, foreignLines, format, language: ctx.language };
}

function pickFormat(rng: Random, ctx: MailContext): MailFormat {
  if (!ctx.inbound) return rng.chance(0.85) ? 'front' : 'plain';
  const choices: MailFormat[] = ctx.quoted ? ['gmail', 'outlook', 'outlook-desktop', 'apple', 'log', 'chat', 'forward'] : ['plain', 'log', 'chat', 'forward'];
  return itemAt(choices, rng.int(0, choices.length - 1));
}

function ownBlocks(rng: Random, ctx: MailContext, format: MailFormat): Block[] {
  const lang = MAIL[ctx.language];
  const fill = (line: string) => line.replace('{n}', String(rng.int(1000, 99999)));
  const blocks: Block[] = [];
  if (rng.chance(0.8)) blocks.push({ kind: 'p', lines: [rng.pick(lang.greetings)] });
  const pool = ctx.inbound ? lang.customerLines : lang.agentLines;
  const lines = rng.sample(pool, rng.int(1, Math.min(3, pool.length))).map(fill);
  blocks.push({ kind: 'p', lines: lines.slice(0, 1) });
  if (format === 'log') blocks.push({ kind: 'log', lines: ['GET /v2/export 500 (Internal Server Error)', 'retrying in 5s', `request id ${rng.int(100000, 999999)}`] });
  if (lines.length > 1) blocks.push({ kind: 'p', lines: lines.slice(1) });
  if (rng.chance(0.15)) {
    blocks.push({ kind: 'list', items: ['Step one: open Settings', 'Step two: click “Export” → CSV'] });
    blocks.push({ kind: 'link', label: 'the status page', href: 'https://status.example.com/?a=1&b=2' });
  }
  const name = firstName(ctx.writer);
  if (format !== 'chat') blocks.push({ kind: 'p', lines: [rng.pick(lang.signOffs), ...(name ? [name] : [])] });
  return blocks;
}

function signatureOf(kind: Signature, ctx: MailContext, device: string, rng: Random): { plain: string; html: string } {
  const name = ctx.writer.name;
  const company = ctx.writer.handle.split('@')[1] ?? 'example.com';
  switch (kind) {
    case 'none':
      return { plain: '', html: '' };
    case 'device':
      return { plain: device, html: `<div>${escapeHtml(device)}</div>` };
    case 'delimiter': {
      const lines = [name ?? ctx.writer.handle, 'Head of Operations', `+1 (555) 010-${rng.int(1000, 9999)}`];
      return { plain: `-- \n${lines.join('\n')}`, html: `<div><br></div>-- <br><div dir="ltr" class="gmail_signature">${lines.map(escapeHtml).join('<br>')}</div>` };
    }
    case 'contact': {
      // Under the sign-off and name of the own words: title, phone, web site, with no delimiter.
      if (!name) return { plain: '', html: '' };
      const lines = [`Operations Lead | ${company}`, `+44 20 7946 ${rng.int(1000, 9999)}`, `www.${company}`];
      return { plain: lines.join('\n'), html: `<p>${lines.map(escapeHtml).join('<br>')}</p>` };
    }
  }
}

function historyOf(format: MailFormat, ctx: MailContext, rng: Random): { plain: string; html: string } {
  const lang = MAIL[ctx.language];
  if (format === 'forward') return forwarded(ctx, rng);
  const quoted = ctx.quoted;
  if (!quoted || format === 'chat' || format === 'plain') return { plain: '', html: '' };
  if (format === 'log' && rng.chance(0.5)) return { plain: '', html: '' };
  const date = mailDate(quoted.atMs);
  const who = personLine(quoted.writer);
  const quotedLines = quoted.ownWords.split('\n');
  const prefixed = quotedLines.map((line) => (line ? `> ${line}` : '>')).join('\n');
  const quotedHtml = quotedLines.map((line) => escapeHtml(line)).join('<br>');
  switch (format) {
    case 'gmail':
    case 'log': {
      const attribution = lang.gmail(date, who);
      return {
        plain: `${attribution}\n${prefixed}`,
        html: `<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${escapeHtml(attribution)}<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${quotedHtml}</blockquote></div>`,
      };
    }
    case 'apple': {
      const attribution = lang.apple(date, who);
      return {
        plain: `${attribution}\n\n${prefixed}`,
        html: `<div dir="ltr"><br><blockquote type="cite">${escapeHtml(attribution)}<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">${quotedHtml}</div></blockquote>`,
      };
    }
    case 'front': {
      const attribution = lang.gmail(date, who);
      return {
        plain: `${attribution}\n${prefixed}`,
        html: `<br><blockquote type="cite" class="front-blockquote">${escapeHtml(attribution)}<br><div class="front-email-body">${quotedHtml}</div></blockquote>`,
      };
    }
    case 'outlook':
    case 'outlook-desktop': {
      const [from, sent, to, subject] = lang.outlook;
      const sentAt = `${lang.weekdays[date.weekday]}, ${date.day} ${lang.months[date.month]} ${date.year} ${date.hh}:${date.mm}`;
      const fields: [string, string][] = [[from, who], [sent, sentAt], [to, personLine(ctx.reader)], [subject, `RE: ${ctx.subject}`]];
      const plain = `________________________________\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${quoted.ownWords}`;
      const headerHtml = fields.map(([k, v]) => `<b>${escapeHtml(k)}:</b> ${escapeHtml(v)}`).join('<br>');
      const html =
        format === 'outlook'
          ? `<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">${headerHtml}</font><div>&nbsp;</div></div><div>${quotedHtml}</div>`
          : `<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">${headerHtml}</p></div></div><p class="MsoNormal">${quotedHtml}</p>`;
      return { plain, html };
    }
    default:
      return { plain: '', html: '' };
  }
}

/** A mail the customer forwards, under their own words. */
function forwarded(ctx: MailContext, rng: Random): { plain: string; html: string } {
  const lang = MAIL[ctx.language];
  const [from, sent, to, subject] = lang.outlook;
  const date = mailDate(ctx.quoted?.atMs ?? 1_700_000_000_000 + rng.int(0, 10_000_000) * 1000);
  const original = `Invoice ${rng.int(1000, 9999)} is attached.\nPayment is due in 30 days.`;
  const fields: [string, string][] = [[from, `Billing <billing@vendor.example>`], [sent, `${date.day} ${lang.months[date.month]} ${date.year}`], [subject, ctx.subject], [to, personLine(ctx.writer)]];
  return {
    plain: `${lang.forwarded}\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${original}`,
    html: `<div class="gmail_quote"><div dir="ltr" class="gmail_attr">${escapeHtml(lang.forwarded)}<br>${fields.map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(v)}`).join('<br>')}<br></div><br><br>${original.split('\n').map((l) => `<div>${escapeHtml(l)}</div>`).join('')}</div>`,
  };
}

function personLine(person: Person): string {
  return person.name ? `${person.name} <${person.handle}>` : person.handle;
}

function firstName(person: Person): string | null {
  return person.name ? itemAt(person.name.split(' '), 0) : null;
}

/** The language of a conversation: English for about half, the others evenly. */
export function languageOf(conversationId: string): Language {
  const rng = seededRandom(conversationId, 'language');
  return rng.chance(0.5) ? 'en' : itemAt(LANGUAGES, rng.int(1, LANGUAGES.length - 1));
}
