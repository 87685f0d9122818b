import type { HighlightStatus, HighlightStatusCategory } from './types.js';

const STATUS_BY_FRONT: Record<string, HighlightStatus> = {
  assigned: 'open',
  unassigned: 'open',
  open: 'open',
  archived: 'archived',
  spam: 'spam',
  deleted: 'trashed',
  trashed: 'trashed',
};

const CATEGORIES: ReadonlySet<string> = new Set<HighlightStatusCategory>(['open', 'waiting', 'resolved']);

export interface Mapped<T> {
  value: T;
  warning: string | null;
}

/**
 * Front's conversation status -> Highlight status. Values Front adds later must not stop an import,
 * so anything unknown (or missing) is shown as "open", the state that keeps it visible, with a warning.
 */
export function mapStatus(raw: unknown): Mapped<HighlightStatus> {
  const known = typeof raw === 'string' ? STATUS_BY_FRONT[raw] : undefined;
  if (known) return { value: known, warning: null };
  return { value: 'open', warning: `unknown status ${quote(raw)}; shown as open` };
}

/** Ticketing status category; absent without ticketing (null, no warning), unknown -> null + warning. */
export function mapStatusCategory(raw: unknown): Mapped<HighlightStatusCategory | null> {
  if (raw === null || raw === undefined) return { value: null, warning: null };
  if (typeof raw === 'string' && CATEGORIES.has(raw)) {
    return { value: raw as HighlightStatusCategory, warning: null };
  }
  return { value: null, warning: `unknown status_category ${quote(raw)}; left empty` };
}

/** A short, quoted, escaped rendering of an untrusted value for a warning line. */
function quote(raw: unknown): string {
  if (raw === undefined) return '(missing)';
  return JSON.stringify(raw)?.slice(0, 40) ?? String(typeof raw);
}
