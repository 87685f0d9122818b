// Ticket status names for the Highlight's statusName. A conversation carries only its status_id;
// the names come from GET /company/statuses, read once per run when the first conversation with a
// status id needs one (a run without ticketing never asks). Front answers 404 when ticketing is
// off; a token without `statuses:read` gets null names and one warning, not a failed run.

import { FrontRequestError, ScopeError } from '../../errors.js';
import type { FrontConversation, FrontStatus } from '../../front/types.js';

export interface StatusApi {
  statuses(): Promise<FrontStatus[]>;
}

export type StatusNames = (conversation: FrontConversation) => Promise<string | null>;

export function statusNames(api: StatusApi, warn: (line: string) => void): StatusNames {
  let names: Promise<Map<string, string>> | null = null;
  const load = async (): Promise<Map<string, string>> => {
    try {
      const statuses = await api.statuses();
      return new Map(statuses.filter((s) => typeof s?.id === 'string' && typeof s.name === 'string').map((s) => [s.id, s.name]));
    } catch (err) {
      if (err instanceof FrontRequestError && err.status === 404) return new Map();
      if (err instanceof ScopeError) {
        warn(`ticket status names unavailable (${err.message}): statusName is null`);
        return new Map();
      }
      names = null;
      throw err;
    }
  };
  return async (conversation) => {
    const id = conversation.status_id;
    if (typeof id !== 'string' || !id) return null;
    names ??= load();
    return (await names).get(id) ?? null;
  };
}
