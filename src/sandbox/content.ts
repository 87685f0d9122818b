// Message bodies. Generated text is a pure function of a seed and its context, so the workspace
// stores one number per message and renders the HTML only when someone asks for it.

import type { MessageContent } from './model.js';
import { seededRandom } from './random.js';
import { AGENT_LINES, CUSTOMER_LINES, GREETINGS_CUSTOMER, SIGNOFFS_AGENT } from './vocabulary.js';

export interface ContentContext {
  inbound: boolean;
  /** Signs outbound messages. */
  agentFirstName: string | null;
}

const BLURB_LENGTH = 100;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Front's blurb: the start of the text, whitespace collapsed. */
export function blurbOf(plain: string): string {
  return plain.replace(/\s+/g, ' ').trim().slice(0, BLURB_LENGTH);
}

/** Blurb for arbitrary HTML: tags dropped, the commonest entities decoded. Linear, so hostile bodies are safe. */
export function blurbOfHtml(html: string): string {
  const plain = html
    .slice(0, 20_000)
    // The cut may end inside a tag.
    .replace(/<[^>]*$/, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return blurbOf(plain);
}

/** Content supplied through the control API: missing text stays missing, missing body comes from text. */
export function explicitContent(message: { body?: string; text?: string }): MessageContent {
  const text = message.text;
  const body = message.body ?? escapeHtml(text ?? '').replace(/\n/g, '<br>');
  return { body, text, blurb: text !== undefined ? blurbOf(text) : blurbOfHtml(body) };
}

type Block = { kind: 'p'; text: string } | { kind: 'list'; items: string[] } | { kind: 'link'; label: string; href: string };

export function generatedContent(seed: number, ctx: ContentContext): MessageContent {
  const rng = seededRandom(seed, 'message');
  const fill = (line: string) => line.replace('{n}', String(rng.int(1000, 99999)));
  const blocks: Block[] = [];
  const greeting = ctx.inbound ? rng.pick(GREETINGS_CUSTOMER) : 'Hi,';
  if (greeting) blocks.push({ kind: 'p', text: greeting });
  for (const line of rng.sample(ctx.inbound ? CUSTOMER_LINES : AGENT_LINES, rng.int(1, 4))) {
    blocks.push({ kind: 'p', text: fill(line) });
  }
  const style = rng.weighted([25, 60, 15]);
  if (style === 2) {
    blocks.push({ kind: 'list', items: ['Step one: open Settings', 'Step two: click “Export” → CSV'] });
    blocks.push({ kind: 'link', label: 'the status page', href: 'https://status.example.com/?a=1&b=2' });
  }
  if (!ctx.inbound) blocks.push({ kind: 'p', text: `${rng.pick(SIGNOFFS_AGENT)}\n${ctx.agentFirstName ?? 'The team'}` });

  const text = blocks.map(plainOf).join('\n\n');
  const body = style === 0 ? escapeHtml(text) : `<div dir="auto">${blocks.map(htmlOf).join('')}</div>`;
  return { body, text: rng.chance(0.8) ? text : undefined, blurb: blurbOf(text) };
}

function plainOf(block: Block): string {
  switch (block.kind) {
    case 'p':
      return block.text;
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'link':
      return `See ${block.label} (${block.href}).`;
  }
}

function htmlOf(block: Block): string {
  switch (block.kind) {
    case 'p':
      return `<p>${escapeHtml(block.text).replace(/\n/g, '<br>')}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
    case 'link':
      return `<p>See&nbsp;<a href="${escapeHtml(block.href)}">${escapeHtml(block.label)}</a>.</p>`;
  }
}
