// Text as HTML: the five characters HTML gives meaning to, as entities. One copy for the sandbox's
// mail and pages and the real-mail threads built as HTML.

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
