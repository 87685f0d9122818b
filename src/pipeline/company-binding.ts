// A state belongs to one Front company. The first run records the company behind the token (/me)
// and the Front URL; a later run whose token belongs to another company is refused before it
// changes anything, instead of reporting "0 conversations seen" against someone else's cursor.

import { ConfigError } from '../errors.js';
import type { FrontIdentity } from '../front/types.js';
import { quote } from '../config/quote.js';

export const COMPANY_META_KEY = 'frontCompany';

export interface CompanyRecord {
  id: string;
  name: string;
  frontUrl: string;
  boundAt: string;
}

/** The two meta calls binding needs; sync or async, whichever the store is. */
export interface CompanyMeta {
  getMeta<T>(key: string): T | undefined | Promise<T | undefined>;
  setMeta(key: string, value: unknown): void | Promise<void>;
}

/** Reads the binding and refuses another company; does not write (see recordCompany). */
export async function checkCompany(meta: CompanyMeta, me: FrontIdentity, frontUrl: string, statePath: string): Promise<CompanyRecord | undefined> {
  const bound = await meta.getMeta<CompanyRecord>(COMPANY_META_KEY);
  if (bound && bound.id !== me.id) throw new CompanyMismatchError(statePath, bound, { id: me.id, name: me.name, frontUrl });
  return bound;
}

/** Binds an unbound state to the company, once the run holds the lock. */
export async function recordCompany(meta: CompanyMeta, me: FrontIdentity, frontUrl: string, now: () => string): Promise<void> {
  if (await meta.getMeta<CompanyRecord>(COMPANY_META_KEY)) return;
  await meta.setMeta(COMPANY_META_KEY, { id: me.id, name: me.name, frontUrl, boundAt: now() } satisfies CompanyRecord);
}

export class CompanyMismatchError extends ConfigError {
  constructor(statePath: string, bound: Pick<CompanyRecord, 'id' | 'name' | 'frontUrl'>, other: Pick<CompanyRecord, 'id' | 'name' | 'frontUrl'>) {
    super(
      `state ${statePath} belongs to Front company ${describe(bound)}, but this token is for ${describe(other)}; nothing was changed. ` +
        'Give each company its own state: --db PATH or FRONT_IMPORT_DB (the default state is already one per Front URL)',
    );
  }
}

function describe(c: Pick<CompanyRecord, 'id' | 'name' | 'frontUrl'>): string {
  return `${quote(c.name)} (${c.id} at ${c.frontUrl})`;
}
