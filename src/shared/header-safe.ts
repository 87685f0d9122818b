// Whether a secret can travel in an HTTP header: a token with a line break, a control character or
// a typographic quote from a copy out of a document fails every request as if the network were
// down, so both tokens (Front's, a destination's) are checked before the first request.

/**
 * The characters Node's HTTP client accepts in a header value (node:http's validateHeaderValue
 * tests the same class): written out here because loading node:http for this one check cost every
 * `status` and `config` a few milliseconds of start-up.
 */
const HEADER_VALUE_CHARACTER = /^[\t\x20-\x7e\x80-\xff]$/;

/** Null when an Authorization header can carry the token; else where it stops (" at character N"). */
export function headerUnsafeAt(token: string): string | null {
  const at = [...token].findIndex((c) => !HEADER_VALUE_CHARACTER.test(c));
  return at >= 0 ? ` at character ${at + 1}` : null;
}

/** What every "cannot carry" message says about which characters those are and what to do. */
const UNSAFE_CHARACTERS = '(a line break, a control character or a non-ASCII one such as a typographic quote): copy the token again';

/** The one sentence for a token a header cannot carry: `which` names the token, `at` is headerUnsafeAt's answer. */
export function headerUnsafeMessage(which: string, at: string): string {
  return `${which} holds a character an HTTP header cannot carry${at} ${UNSAFE_CHARACTERS}`;
}
