// Which conversations a run imports: inbox lanes (resolved from names or ids) and the
// tag/status filters applied to each mapped Highlight. Pure, apart from the inbox list passed in.

import type { FrontConversation, FrontInbox } from '../../front/types.js';
import type { Highlight, HighlightStatus } from '../../highlight/types.js';
import type { ScopeSettings } from '../../config/types.js';
import type { LabelRule } from '../../highlight/types.js';
import { STATUSES } from '../../config/types.js';

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

/** Statuses left out unless scope.statuses names them: nobody wants spam or the bin as customer signal. */
const HIDDEN_BY_DEFAULT: ReadonlySet<string> = new Set(['spam', 'trashed']);

/** The Highlight statuses a scope imports: scope.statuses, else all but spam and trashed. */
export function importedStatuses(statuses: readonly string[]): string[] {
  return statuses.length > 0 ? [...statuses] : STATUSES.filter((s) => !HIDDEN_BY_DEFAULT.has(s));
}

function statusInScope(status: string, statuses: readonly string[]): boolean {
  return statuses.length > 0 ? statuses.includes(status) : !HIDDEN_BY_DEFAULT.has(status);
}

/**
 * Tag filters match tag names (case-insensitive) or tag ids. Statuses: those in scope.statuses;
 * when it is empty, every status but spam and trashed.
 */
export function inScope(highlight: Highlight, conversation: Pick<FrontConversation, 'tags'>, scope: ScopeFilter): boolean {
  if (!statusInScope(highlight.status, scope.statuses)) return false;
  const keys = new Set<string>();
  for (const name of highlight.tags) keys.add(name.toLowerCase());
  for (const tag of conversation.tags ?? []) if (tag?.id) keys.add(tag.id.toLowerCase());
  const has = (t: string) => keys.has(t.toLowerCase());
  if (scope.tags.length > 0 && !scope.tags.some(has)) return false;
  if (scope.excludeTags.some(has)) return false;
  return true;
}

/**
 * A conversation front-import already stored with a visible status that has since moved to spam or
 * the bin, out of the default scope: its Highlight goes out once more, with that status, so the
 * destination can hide it. Once stored so, later changes are out of scope like any spam.
 */
export function becameHidden(
  highlight: Highlight,
  conversation: Pick<FrontConversation, 'tags'>,
  snapshot: { status: string | null } | undefined,
  scope: ScopeFilter,
): boolean {
  if (!hidesNow(highlight.status, snapshot, scope)) return false;
  return inScope({ ...highlight, status: 'open' }, conversation, scope);
}

/**
 * Whether a conversation with this Highlight status can be in scope at all, known before its
 * messages are read: so a spam or trashed conversation costs no message request.
 */
export function statusMayBeInScope(status: HighlightStatus, snapshot: { status: string | null } | undefined, scope: ScopeFilter): boolean {
  return statusInScope(status, scope.statuses) || hidesNow(status, snapshot, scope);
}

function hidesNow(status: string, snapshot: { status: string | null } | undefined, scope: ScopeFilter): boolean {
  if (scope.statuses.length > 0 || !HIDDEN_BY_DEFAULT.has(status)) return false;
  const before = snapshot?.status;
  return !!before && !HIDDEN_BY_DEFAULT.has(before);
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
