// A state belongs to one Front company. The first run records the company behind the token (/me)
// and the Front URL; a later run whose token belongs to another company is refused before it
// changes anything, instead of reporting "0 conversations seen" against someone else's cursor.

import { ConfigError } from '../errors.js';
import type { FrontIdentity } from '../front/types.js';
import { quote } from '../config/quote.js';
import type { MetaStore } from '../store/roles.js';

export const COMPANY_META_KEY = 'frontCompany';

export interface CompanyRecord {
  id: string;
  name: string;
  frontUrl: string;
  boundAt: string;
}

/**
 * Refuses a state bound to another company (nothing written), and binds an unbound one to this
 * company. Called once the run holds the import lock.
 */
export async function bindCompany(meta: MetaStore, me: FrontIdentity, frontUrl: string, where: string, now: () => string): Promise<void> {
  const bound = await meta.getMeta<CompanyRecord>(COMPANY_META_KEY);
  if (bound && bound.id !== me.id) throw new CompanyMismatchError(where, bound, { id: me.id, name: me.name, frontUrl });
  if (!bound) await meta.setMeta(COMPANY_META_KEY, { id: me.id, name: me.name, frontUrl, boundAt: now() } satisfies CompanyRecord);
}

export class CompanyMismatchError extends ConfigError {
  constructor(where: string, bound: Pick<CompanyRecord, 'id' | 'name' | 'frontUrl'>, other: Pick<CompanyRecord, 'id' | 'name' | 'frontUrl'>) {
    super(
      `state ${where} belongs to Front company ${describe(bound)}, but this token is for ${describe(other)}; nothing was changed. ` +
        'Give each company its own state: --state PATH|URL or FRONT_IMPORT_STATE_URL (the default state is already one per Front URL)',
    );
  }
}

function describe(c: Pick<CompanyRecord, 'id' | 'name' | 'frontUrl'>): string {
  return `${quote(c.name)} (${c.id} at ${c.frontUrl})`;
}
