// Values from command-line flags, checked before they override anything.

import { UsageError } from '../errors.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { STATE_URL_EXPECTATION } from '../store/location.js';
import { quote } from './quote.js';
import { STATUSES, type ConfigOverrides } from './types.js';

/** Throws UsageError, naming the flag as typed, for a value no setting could accept. */
export function checkOverrides(overrides: ConfigOverrides): void {
  if (overrides.db !== undefined && overrides.db.trim() === '') throw new UsageError(`--db: expected a file path; got ${quote(overrides.db)}`);
  if (overrides.state !== undefined && overrides.state.trim() === '') {
    throw new UsageError(`--state: ${STATE_URL_EXPECTATION}; got ${quote(overrides.state)}`);
  }
  for (const inbox of overrides.inboxes ?? []) nonEmpty('--inbox', 'an inbox name or id', inbox);
  for (const tag of overrides.tags ?? []) nonEmpty('--tag', 'a tag name', tag);
  for (const status of overrides.statuses ?? []) {
    if (!(STATUSES as readonly string[]).includes(status)) {
      const hint = didYouMean(status, STATUSES, 1);
      throw new UsageError(`--status: expected one of ${STATUSES.join(', ')}; got ${quote(status)}${hint ? `\n${hint}` : ''}`);
    }
  }
}

function nonEmpty(flag: string, what: string, value: string): void {
  if (value.trim() === '') throw new UsageError(`${flag}: expected ${what}; got ${quote(value)}`);
}
