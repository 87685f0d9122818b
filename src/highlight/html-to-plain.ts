import { compile, type HtmlToTextOptions } from 'html-to-text';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const CONVERT_OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ...HEADINGS.map((selector) => ({ selector, options: { uppercase: false } })),
  ],
};

// convert() compiles its options on every call, which cost more than converting a short message;
// compiled once, on first use so commands that convert nothing do not pay for it at start-up.
let converter: ((html: string) => string) | null = null;

/**
 * Plain text of an HTML fragment: links as "text [url]" (or just the text when it is the url),
 * images dropped, tables as aligned text. Not tidied; callers run tidyText.
 */
export function htmlToPlain(html: string): string {
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
