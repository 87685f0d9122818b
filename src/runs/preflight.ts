// What a command checks before its first Front request, so that a run which could only fail or
// import nothing stops at once with the fix (exit 2): the destination can be written, and every
// inbox, tag, team and custom field named in flags, scope or routing rules exists in Front.

import type { IOStreams } from '../terminal/io.js';
import type { DestinationSettings, Subscription } from '../config/types.js';
import { checkDestination } from '../destinations/precheck.js';
import { ScopeError } from '../errors.js';
import type { FrontApi } from '../front/api.js';
import type { FrontCustomField } from '../front/types.js';
import { readTeamDirectory } from '../front/teams.js';
import { namesUsed, resolveScopeNames } from './scope-names.js';
import { resolveCustomFields, usesCustomFields } from '../scope/custom-fields.js';
import { resolveScopeTeams } from '../scope/teams.js';

/** The Front lists a scope check reads: each at most once per run (withListsOnce). */
type ListApi = Pick<FrontApi, 'inboxes' | 'tags' | 'teams' | 'conversationCustomFields'>;

export async function checkDestinationFirst(destination: DestinationSettings, io: IOStreams): Promise<void> {
  const { warnings } = await checkDestination(destination);
  for (const line of warnings) io.warn(line);
}

/**
 * The subscription with teams turned into their inboxes, custom fields, inboxes and tags as Front
 * names them; UsageError for a name Front does not have.
 */
export async function checkScopeNames(input: Subscription, api: ListApi): Promise<Subscription> {
  let subscription = input;
  if (subscription.scope.teams.length > 0) subscription = resolveScopeTeams(subscription, await readTeamDirectory(api));
  if (usesCustomFields(subscription)) {
    const fields = await readableCustomFields(api);
    subscription = fields ? resolveCustomFields(subscription, fields) : { ...subscription, customFieldsUnreadable: true };
  }
  const used = namesUsed(subscription);
  if (!used.inboxes && !used.tags) return subscription;
  const [inboxes, tags] = await Promise.all([used.inboxes ? api.inboxes() : null, used.tags ? api.tags() : null]);
  return resolveScopeNames(subscription, inboxes, tags);
}

/**
 * Front's custom field list, or null when the token may not read it (403): the conversations still
 * carry their own custom fields, so the run goes on (README "Custom fields without access").
 */
async function readableCustomFields(api: ListApi): Promise<FrontCustomField[] | null> {
  try {
    return await api.conversationCustomFields();
  } catch (err) {
    if (err instanceof ScopeError) return null;
    throw err;
  }
}

/**
 * The API with /inboxes and /tags read once per run: the scope check of every subscription and the
 * inbox lanes all need them, and Front requests must not grow with the number of subscriptions.
 */
export function withListsOnce<A extends ListApi>(api: A): A {
  let inboxes: ReturnType<FrontApi['inboxes']> | null = null;
  let tags: ReturnType<FrontApi['tags']> | null = null;
  let teams: ReturnType<FrontApi['teams']> | null = null;
  let fields: ReturnType<FrontApi['conversationCustomFields']> | null = null;
  return {
    ...api,
    inboxes: () => (inboxes ??= api.inboxes()),
    tags: () => (tags ??= api.tags()),
    teams: () => (teams ??= api.teams()),
    conversationCustomFields: () => (fields ??= api.conversationCustomFields()),
  };
}

/** Every subscription's scope names checked against Front's (one /inboxes, /tags, /teams and custom-field list at most). */
export async function checkAllScopeNames(subscriptions: readonly Subscription[], api: ListApi): Promise<Subscription[]> {
  const checked: Subscription[] = [];
  for (const s of subscriptions) checked.push(await checkScopeNames(s, api));
  return checked;
}
