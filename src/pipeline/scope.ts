// Which conversations a run imports: inbox lanes (resolved from names or ids) and the
// tag/status filters applied to each mapped Highlight. Pure, apart from the inbox list passed in.

import type { FrontConversation, FrontInbox } from '../front/types.js';
import type { Highlight } from '../highlight/types.js';
import type { ScopeSettings } from '../config/types.js';
import type { LabelRule } from '../highlight/types.js';

export interface Lane {
  /** null = every inbox the token can see, in one stream. */
  inbox: { id: string; name: string } | null;
}

export interface ScopePlan {
  lanes: Lane[];
  /** Inboxes named in scope that this token cannot see (private without access, or misspelled). */
  invisible: string[];
}

/** True when inbox identity matters: scoped inboxes, or label rules that match on inbox. */
export function needsInboxes(scope: Pick<ScopeSettings, 'inboxes'>, labelRules: readonly LabelRule[]): boolean {
  return scope.inboxes.length > 0 || labelRules.some((r) => r.when.inbox !== undefined);
}

export function planLanes(scopeInboxes: string[], visible: FrontInbox[] | null): ScopePlan {
  if (visible === null) return { lanes: [{ inbox: null }], invisible: [] };
  if (scopeInboxes.length === 0) {
    return { lanes: visible.map((i) => ({ inbox: { id: i.id, name: i.name } })), invisible: [] };
  }
  const lanes: Lane[] = [];
  const invisible: string[] = [];
  for (const wanted of scopeInboxes) {
    const key = wanted.toLowerCase();
    const found = visible.find((i) => i.id === wanted || i.name.toLowerCase() === key);
    if (!found) invisible.push(wanted);
    else if (!lanes.some((l) => l.inbox?.id === found.id)) lanes.push({ inbox: { id: found.id, name: found.name } });
  }
  return { lanes, invisible };
}

export interface ScopeFilter {
  tags: string[];
  excludeTags: string[];
  statuses: string[];
}

/** Tag filters match tag names (case-insensitive) or tag ids. */
export function inScope(highlight: Highlight, conversation: Pick<FrontConversation, 'tags'>, scope: ScopeFilter): boolean {
  if (scope.statuses.length > 0 && !scope.statuses.includes(highlight.status)) return false;
  const keys = new Set<string>();
  for (const name of highlight.tags) keys.add(name.toLowerCase());
  for (const tag of conversation.tags ?? []) if (tag?.id) keys.add(tag.id.toLowerCase());
  const has = (t: string) => keys.has(t.toLowerCase());
  if (scope.tags.length > 0 && !scope.tags.some(has)) return false;
  if (scope.excludeTags.some(has)) return false;
  return true;
}

/**
 * The inboxes one pass must read for all the subscriptions: null when none needs inbox identity
 * (one stream), [] for every visible inbox (some subscription takes all inboxes but another needs
 * to know which), else the union of their scoped inboxes.
 */
export function unionInboxes(subscriptions: readonly { scope: Pick<ScopeSettings, 'inboxes'>; labelRules: readonly LabelRule[] }[]): string[] | null {
  if (!subscriptions.some((s) => needsInboxes(s.scope, s.labelRules))) return null;
  if (subscriptions.some((s) => s.scope.inboxes.length === 0)) return [];
  return [...new Set(subscriptions.flatMap((s) => s.scope.inboxes))];
}
