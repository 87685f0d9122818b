import { compile, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import { MARKS } from './own-words.js';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Quote containers of Gmail, Apple Mail, Front, Yahoo, Thunderbird, ProtonMail. */
const QUOTE_CONTAINERS = [
  'div.gmail_quote',
  'blockquote.gmail_quote',
  'blockquote[type="cite"]',
  '.front-blockquote',
  'div.yahoo_quoted',
  'div[id^="yahoo_quoted"]',
  'blockquote.protonmail_quote',
];
/** Where Outlook (desktop, web, new) starts the mail being replied to or forwarded. */
const HISTORY_STARTS = ['#divRplyFwdMsg', '#appendonsend', '#mail-editor-reference-message-container', 'hr#stopSpelling', 'div.zmail_extra', 'div[id^="zmail_extra"]'];

/** A line holding only `mark`, as its own block. */
const markLine = (mark: string): FormatCallback => (_elem, _walk, builder, _options) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  builder.addLiteral(mark);
  builder.closeBlock({ trailingLineBreaks: 1 });
};

const FORMATTERS: Record<string, FormatCallback> = {
  // The container's lines, `>`-prefixed, under a quote mark: ownWords drops the block as a quote
  // even when the client wrote no attribution line.
  quoteContainer: (elem, walk, builder) => {
    markLine(MARKS.quote)(elem, walk, builder, {});
    builder.openBlock({ leadingLineBreaks: 1, reservedLineLength: 2 });
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 1, blockTransform: (text) => text.split('\n').map((line) => `> ${line}`).join('\n') });
  },
  // Any other blockquote: its lines marked, so ownWords can drop it as a quote or keep it as text.
  blockquote: (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2, reservedLineLength: 2 });
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2, blockTransform: (text) => text.split('\n').map((line) => `${MARKS.blockquoteLine}> ${line}`).join('\n') });
  },
  historyStart: markLine(MARKS.cut),
  rule: markLine(MARKS.softCut),
  softSeparator: (elem, walk, builder) => {
    markLine(MARKS.softCut)(elem, walk, builder, {});
    walk(elem.children, builder);
  },
};

// Lists and links come out as a plain-text mail writes them ("- item", "label (url)"), so a
// message reads the same whether Front sent its `text` or only its `body` (see plainStyle).
const CONVERT_OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: FORMATTERS,
  selectors: [
    { selector: 'img', format: 'skip' },
    // A rule is where Zimbra, Thunderbird and many webmails start the quoted mail's header block:
    // history when a header line follows, else nothing.
    { selector: 'hr', format: 'rule' },
    { selector: 'blockquote', format: 'blockquote' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['(', ')'] } },
    { selector: 'a[href^="mailto:"]', format: 'inline' },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ...HEADINGS.map((selector) => ({ selector, options: { uppercase: false } })),
    ...QUOTE_CONTAINERS.map((selector) => ({ selector, format: 'quoteContainer' })),
    ...HISTORY_STARTS.map((selector) => ({ selector, format: 'historyStart' })),
    { selector: 'div[style*="border-top"]', format: 'softSeparator' },
  ],
};

// convert() compiles its options on every call, which cost more than converting a short message;
// compiled once, on first use so commands that convert nothing do not pay for it at start-up.
let converter: ((html: string) => string) | null = null;

/**
 * Plain text of an HTML fragment: links as "text (url)" (or just the text when it is the url or a
 * mailto), lists as "- item", images and rules dropped, tables as aligned text, quote containers
 * and history separators marked for ownWords. Not tidied; callers run tidyText.
 */
export function htmlToPlain(html: string): string {
  // Known too deep for the converter: flat at once, without paying for the stack overflow first.
  if (nestingDepth(html) > MAX_CONVERTED_DEPTH) return stripTags(html);
  try {
    converter ??= compile(CONVERT_OPTIONS);
    return converter(html);
  } catch (err) {
    // html-to-text walks the DOM recursively, so a few thousand nested elements (real in long
    // quoted-reply chains and in hostile mail) overflow the stack. A flat tag stripper loses the
    // layout but keeps every word, which is what a Highlight needs.
    if (err instanceof RangeError) return stripTags(html);
    throw err;
  }
}

/** Nesting the converter walks without nearing the stack's limit (real mail stays far below). */
const MAX_CONVERTED_DEPTH = 1000;
const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Deepest element nesting, counted in one indexOf pass (unclosed tags count as still open). */
function nestingDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (let lt = html.indexOf('<'); lt >= 0; lt = html.indexOf('<', lt + 1)) {
    const name = TAG_NAME.exec(html.slice(lt, lt + 16))?.[1]?.toLowerCase();
    if (!name || VOID_TAGS.has(name)) continue;
    if (html[lt + 1] === '/') depth = Math.max(0, depth - 1);
    else if (++depth > deepest) deepest = depth;
    if (deepest > MAX_CONVERTED_DEPTH) break;
  }
  return deepest;
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'footer', 'form', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul',
]);
const RAW_TEXT_TAGS = new Set(['script', 'style', 'head', 'title']);
const TAG_NAME = /^<\/?([a-zA-Z][a-zA-Z0-9]*)/;

/**
 * Removes tags without building a tree. One left-to-right pass using indexOf, so it stays linear on
 * hostile input (no backtracking regex over the whole document).
 */
function stripTags(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    const gt = html.indexOf('>', lt);
    if (gt < 0) break;
    const name = TAG_NAME.exec(html.slice(lt, Math.min(gt + 1, lt + 16)))?.[1]?.toLowerCase();
    i = gt + 1;
    if (!name) continue;
    if (BLOCK_TAGS.has(name)) out += '\n';
    if (RAW_TEXT_TAGS.has(name) && html[lt + 1] !== '/') {
      const close = new RegExp(`</${name}\\s*>`, 'gi');
      close.lastIndex = i;
      const found = close.exec(html);
      if (!found) break;
      i = found.index + found[0].length;
    }
  }
  return decodeEntities(out);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}
