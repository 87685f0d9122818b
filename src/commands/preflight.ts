// What a command checks before its first Front request, so that a run which could only fail or
// import nothing stops at once with the fix (exit 2): the destination can be written, and every
// inbox and tag named in flags, scope or routing rules exists in Front.

import type { IOStreams } from '../terminal/io.js';
import type { DestinationSettings, Subscription } from '../config/types.js';
import { checkDestination } from '../destinations/precheck.js';
import type { FrontApi } from '../front/api.js';
import { namesUsed, resolveScopeNames } from '../pipeline/scope-names.js';

export async function checkDestinationFirst(destination: DestinationSettings, io: IOStreams): Promise<void> {
  const { warnings } = await checkDestination(destination);
  for (const line of warnings) io.warn(line);
}

/** The subscription with inboxes and tags as Front names them; UsageError for a name Front does not have. */
export async function checkScopeNames(subscription: Subscription, api: Pick<FrontApi, 'inboxes' | 'tags'>): Promise<Subscription> {
  const used = namesUsed(subscription);
  if (!used.inboxes && !used.tags) return subscription;
  const [inboxes, tags] = await Promise.all([used.inboxes ? api.inboxes() : null, used.tags ? api.tags() : null]);
  return resolveScopeNames(subscription, inboxes, tags);
}

/**
 * The API with /inboxes and /tags read once per run: the scope check of every subscription and the
 * inbox lanes all need them, and Front requests must not grow with the number of subscriptions.
 */
export function withListsOnce<A extends Pick<FrontApi, 'inboxes' | 'tags'>>(api: A): A {
  let inboxes: ReturnType<FrontApi['inboxes']> | null = null;
  let tags: ReturnType<FrontApi['tags']> | null = null;
  return { ...api, inboxes: () => (inboxes ??= api.inboxes()), tags: () => (tags ??= api.tags()) };
}

/** Every subscription's scope names checked against Front's (one /inboxes and one /tags at most). */
export async function checkAllScopeNames(subscriptions: readonly Subscription[], api: Pick<FrontApi, 'inboxes' | 'tags'>): Promise<Subscription[]> {
  const checked: Subscription[] = [];
  for (const s of subscriptions) checked.push(await checkScopeNames(s, api));
  return checked;
}
