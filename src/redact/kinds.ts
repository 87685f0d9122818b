// The kinds of personal data `highlights.redact` can name, and the marker each is replaced by.

export const REDACT_KINDS = ['email', 'phone', 'card', 'iban', 'ip'] as const;
export type RedactKind = (typeof REDACT_KINDS)[number];

/** What replaces a redacted value: `[email]`, `[phone]`, …, or `[name]` for a custom pattern. */
export function marker(kind: string): string {
  return `[${kind}]`;
}

/** A found value: [start, end) in the text, and its kind (a built-in kind or a pattern's name). */
export interface Span {
  start: number;
  end: number;
  kind: string;
}
