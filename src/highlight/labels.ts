import type { CustomFieldValue, HighlightStatus, LabelRule } from './types.js';

export interface LabelFacts {
  tags: string[];
  status: HighlightStatus;
  /** Front's raw status (assigned, unassigned, archived, deleted, ...), when known. */
  frontStatus: string | null;
  inboxes: { id: string; name: string }[];
  /** The Highlight's customFields (a Highlight stored before schema 3 has none). */
  customFields?: Record<string, CustomFieldValue>;
  /** The Highlight's language (ISO 639-1) or null. */
  language?: string | null;
}

/**
 * Labels from routing rules, sorted and unique. A rule applies when every condition it names holds
 * (a rule naming no condition never applies, so a half-written rule cannot label everything):
 * - tag: a tag name, case-insensitive;
 * - status: the Highlight status (open, archived, spam, trashed) or Front's raw status (assigned,
 *   unassigned, deleted, ...), case-insensitive;
 * - inbox: an inbox name (case-insensitive) or an inbox id (exact);
 * - customField: {name: value}, each field holding that value (customFieldMatches);
 * - language: the ISO 639-1 code of the text's language, case-insensitive.
 */
export function applyLabelRules(rules: readonly LabelRule[], facts: LabelFacts): string[] {
  const tags = foldedSet(facts.tags);
  const statuses = foldedSet([facts.status, facts.frontStatus]);
  const inboxNames = foldedSet(facts.inboxes.map((inbox) => inbox?.name));
  const inboxIds = new Set(facts.inboxes.map((inbox) => inbox?.id).filter((id) => typeof id === 'string' && id));

  const labels = new Set<string>();
  for (const { when, label } of rules) {
    const conditions = [
      when.tag === undefined || tags.has(fold(when.tag)),
      when.status === undefined || statuses.has(fold(when.status)),
      when.inbox === undefined || inboxIds.has(when.inbox) || inboxNames.has(fold(when.inbox)),
      when.customField === undefined || Object.entries(when.customField).every(([name, value]) => customFieldMatches(facts.customFields, name, [value])),
      when.language === undefined || (Boolean(facts.language) && fold(facts.language) === fold(when.language)),
    ];
    const named = [when.tag, when.status, when.inbox, when.customField, when.language].some((value) => value !== undefined);
    if (named && conditions.every(Boolean) && label) labels.add(label);
  }
  return [...labels].sort();
}

function fold(s: unknown): string {
  return typeof s === 'string' ? s.trim().toLowerCase() : '';
}

/** Folded values, blanks left out so a blank rule value cannot match a missing name. */
function foldedSet(values: readonly unknown[]): Set<string> {
  return new Set(values.map(fold).filter(Boolean));
}

/**
 * Whether the field holds one of the wanted values. Front types a value as the field is (an enum
 * "Enterprise", a number 90, a boolean true), a config writes them as YAML does, so both sides are
 * compared as text, case-insensitive: `Plan: enterprise` matches "Enterprise", `isVIP: true` true.
 */
export function customFieldMatches(fields: Record<string, CustomFieldValue> | undefined, name: string, wanted: readonly CustomFieldValue[]): boolean {
  if (!fields || !Object.hasOwn(fields, name)) return false;
  const actual = fields[name];
  if (actual === null || actual === undefined) return wanted.some((w) => w === null);
  return wanted.some((w) => w !== null && fold(String(w)) === fold(String(actual)));
}
