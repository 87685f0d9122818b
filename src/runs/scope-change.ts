// A subscription's scope is recorded with its cursor, so a sync can tell when the config changed it.
// Widened ([Support] to [Support, Billing]), the cursor alone would only bring the added part's new
// changes: the added part gets the initial window a new subscription gets (from the state when it
// covers it, else from Front), and the run says so. Narrowed, the run says what stops being sent.

import type { ScopeSettings } from '../config/types.js';

/** What is recorded of a scope with its cursor, and compared: which inboxes, tags and statuses it takes (teams are recorded as the inboxes they resolve to). */
export type RecordedScope = Pick<ScopeSettings, 'inboxes' | 'tags' | 'excludeTags' | 'statuses'>;
import { importedStatuses } from '../pipeline/index.js';
import { scopeMetaFor } from '../store/keys.js';


/**
 * What to write with a run's cursors: each subscription's scope as it ran, as the config names it
 * (inbox names, not the ids they resolve to, so the run that compares can say them back).
 */
export function scopeRecords(targets: readonly { key: string; name: string; scope: RecordedScope }[], configured: readonly ConfiguredScope[]): { key: string; value: RecordedScope }[] {
  return targets.map((t) => ({ key: scopeMetaFor(t.key), value: recordOf(configuredScope(t, configured)) }));
}

export interface ConfiguredScope {
  name: string;
  scope: RecordedScope;
}

/** The subscription's scope as configured; its resolved one when the config does not name it. */
export function configuredScope(target: { name: string; scope: RecordedScope }, configured: readonly ConfiguredScope[] = []): RecordedScope {
  return configured.find((s) => s.name === target.name)?.scope ?? target.scope;
}

export interface ScopeChange {
  /** What the scope takes now that it did not: "inbox Billing", "every inbox", "status archived"… */
  widened: string[];
  /** What it took and no longer does. */
  narrowed: string[];
}

/** Compares a recorded scope with the configured one; names match case-insensitively (as scope filters do). */
export function compareScope(recorded: RecordedScope, now: RecordedScope): ScopeChange {
  const change: ScopeChange = { widened: [], narrowed: [] };
  // An empty inbox or tag list takes every inbox or tag.
  const anyOf = (before: string[], after: string[], one: string, every: string) => {
    const [b, a] = [lower(before), lower(after)];
    if (b.length > 0 && a.length === 0) change.widened.push(every);
    else if (b.length === 0 && a.length > 0) change.narrowed.push(`${every} but ${list(one, after)}`);
    else {
      const added = after.filter((x) => !b.includes(x.toLowerCase()));
      const removed = before.filter((x) => !a.includes(x.toLowerCase()));
      if (added.length > 0) change.widened.push(list(one, added));
      if (removed.length > 0) change.narrowed.push(list(one, removed));
    }
  };
  anyOf(recorded.inboxes, now.inboxes, 'inbox', 'every inbox');
  anyOf(recorded.tags, now.tags, 'tag', 'any tag');
  const droppedExclusions = recorded.excludeTags.filter((x) => !lower(now.excludeTags).includes(x.toLowerCase()));
  const newExclusions = now.excludeTags.filter((x) => !lower(recorded.excludeTags).includes(x.toLowerCase()));
  if (droppedExclusions.length > 0) change.widened.push(`${list('tag', droppedExclusions)} no longer excluded`);
  if (newExclusions.length > 0) change.narrowed.push(`${list('tag', newExclusions)} now excluded`);
  const [before, after] = [importedStatuses(recorded.statuses), importedStatuses(now.statuses)];
  const addedStatuses = after.filter((s) => !before.includes(s));
  const removedStatuses = before.filter((s) => !after.includes(s));
  if (addedStatuses.length > 0) change.widened.push(list('status', addedStatuses));
  if (removedStatuses.length > 0) change.narrowed.push(list('status', removedStatuses));
  return change;
}

function recordOf(scope: RecordedScope): RecordedScope {
  return { inboxes: [...scope.inboxes], tags: [...scope.tags], excludeTags: [...scope.excludeTags], statuses: [...scope.statuses] };
}

function lower(values: readonly string[]): string[] {
  return values.map((v) => v.toLowerCase());
}

function list(one: string, values: readonly string[]): string {
  return `${one}${values.length > 1 ? (one.endsWith('s') ? 'es' : 's') : ''} ${values.join(', ')}`;
}
