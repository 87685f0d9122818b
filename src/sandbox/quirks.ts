// Front behaviours the docs leave open, which the sandbox can play on request (control API):
// page tokens that expire, `_pagination.next` links that cycle, offset-style tokens that shift
// when conversations are deleted while a client pages, and conversations whose messages cannot be
// read (404) although the conversation can. All off by default.

import { UsageError } from '../errors.js';
import { itemAt } from '../shared/item-at.js';

export type PageTokenStyle = 'keyset' | 'offset';

export interface CyclicNext {
  /** Path whose listing cycles, e.g. `/events` or `/conversations`. */
  path: string;
  /** Pages in the cycle: page `length` of a listing links back to page 1 (page 0 is the first). */
  length: number;
}

export class Quirks {
  /** Tokens carry the generation they were issued in; older generations are expired. */
  generation = 0;
  tokenStyle: PageTokenStyle = 'keyset';
  /** Conversations purged from the listing after each listing page is served (offset tokens then shift). */
  deletesPerPage = 0;
  private cycle: (CyclicNext & { tokens: (string | null)[] }) | null = null;
  private readonly poisoned = new Set<string>();

  expirePageTokens(): void {
    this.generation++;
  }

  setPageTokens(style: PageTokenStyle): void {
    if (style !== 'keyset' && style !== 'offset') throw new UsageError('setPageTokens: style must be keyset or offset');
    this.tokenStyle = style;
  }

  setDeletesDuringPaging(perPage: number): void {
    if (!Number.isInteger(perPage) || perPage < 0) throw new UsageError('setDeletesDuringPaging: perPage must be a whole number >= 0');
    this.deletesPerPage = perPage;
  }

  setCyclicNext(cycle: CyclicNext | null): void {
    if (cycle && (!Number.isInteger(cycle.length) || cycle.length < 1 || typeof cycle.path !== 'string')) {
      throw new UsageError('setCyclicNext: expected {path, length} with a whole length >= 1, or null');
    }
    this.cycle = cycle && { path: cycle.path, length: cycle.length, tokens: [] };
  }

  /**
   * The token the page at `path` (read with `token`, null for the first page) links to: `next`,
   * unless a cycle is set for the path and this is its last page, which links back to page 1.
   */
  nextToken(path: string, token: string | null, next: string | null): string | null {
    const c = this.cycle;
    if (!c || path !== c.path) return next;
    if (token === null) c.tokens = [null];
    else if (!c.tokens.includes(token)) c.tokens.push(token);
    const index = c.tokens.indexOf(token);
    return index === c.length && c.tokens.length > 1 ? itemAt(c.tokens, 1) : next;
  }

  poison(conversationId: string, poisoned: boolean): void {
    if (poisoned) this.poisoned.add(conversationId);
    else this.poisoned.delete(conversationId);
  }

  isPoisoned(conversationId: string): boolean {
    return this.poisoned.has(conversationId);
  }
}
