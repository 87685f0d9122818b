// What the stored conversations cover: which inboxes they were fetched for (with inbox identity or
// as one stream) and over what time. A subscription new to the state whose scope this covers starts
// from the state, with no Front request; one that widens it fetches its initial window from Front.

import type { LabelRule } from '../highlight/types.js';
import { type Lane, needsInboxes } from '../pipeline/index.js';

export interface Coverage {
  /** Fetched as one stream of every inbox (no inbox identity kept). */
  stream: boolean;
  /** Fetched per inbox, for every inbox the token sees. */
  all: boolean;
  /** The inboxes fetched per inbox. */
  inboxes: { id: string; name: string }[];
  /** Unix seconds: fetched without a gap from `since` up to `until`. */
  since: number;
  until: number;
}

/** What a completed fetch with these lanes covers. `all`: the lanes were every visible inbox. */
export function fetchCoverage(lanes: readonly Lane[], all: boolean, since: number, until: number): Coverage {
  const inboxes = lanes.flatMap((l) => (l.inbox ? [l.inbox] : []));
  return { stream: lanes.some((l) => l.inbox === null), all, inboxes, since, until };
}

/** The coverage after `next`: still reaching back to `before.since` when `next` joins it without a gap over the same lanes. */
export function mergeCoverage(before: Coverage | undefined, next: Coverage): Coverage {
  if (!before || next.since > before.until || !coversLanes(next, before)) return next;
  return { ...next, since: Math.min(before.since, next.since) };
}

function coversLanes(wide: Coverage, narrow: Coverage): boolean {
  if (wide.all) return true;
  if (narrow.all) return false;
  if (narrow.stream && !wide.stream) return false;
  return narrow.inboxes.every((n) => wide.inboxes.some((w) => w.id === n.id));
}

/** True when the state holds everything the subscription needs from `since` on. */
export function covers(coverage: Coverage | undefined, sub: { scope: { inboxes: string[] }; labelRules: readonly LabelRule[] }, since: number): boolean {
  if (!coverage || coverage.since > since) return false;
  if (!needsInboxes(sub.scope, sub.labelRules)) return coverage.stream || coverage.all;
  if (sub.scope.inboxes.length === 0) return coverage.all;
  if (coverage.all) return true;
  return sub.scope.inboxes.every((wanted) => coverage.inboxes.some((i) => i.id === wanted || i.name.toLowerCase() === wanted.toLowerCase()));
}
