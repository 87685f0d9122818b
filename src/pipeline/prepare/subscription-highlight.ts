// One Front pass, several teamspaces: a conversation is mapped once (without labels), then each
// subscription decides whether it is in its scope and labels it with its own rules. The same
// function serves a live run and a subscription started from the store, so both give the very
// same Highlight (and version) for the same conversation.

import type { FrontConversation } from '../../front/types.js';
import { applyLabelRules, customFieldMatches } from '../../highlight/labels.js';
import type { CustomFieldValue, Highlight, LabelRule } from '../../highlight/types.js';
import { highlightVersion } from '../../highlight/version.js';
import type { Redactor } from '../../redact/redactor.js';
import type { ConversationFacts } from '../../store/types.js';
import { becameHidden, inScope, type ScopeFilter } from '../fetch/scope.js';

export interface SubscriptionRules {
  scope: ScopeFilter & { inboxes: string[]; customFields?: Record<string, CustomFieldValue | CustomFieldValue[]> };
  labelRules: readonly LabelRule[];
  /** The run's redaction (its fingerprint is part of every version); none when absent. */
  redactor?: Redactor;
  /** Front's custom field list was unreadable: the names are unchecked (Subscription.customFieldsUnreadable). */
  customFieldsUnreadable?: boolean;
}

export function conversationFacts(conversation: FrontConversation, inboxes: ConversationFacts['inboxes']): ConversationFacts {
  const tags = Array.isArray(conversation.tags) ? conversation.tags : [];
  return {
    frontStatus: typeof conversation.status === 'string' ? conversation.status : null,
    tags: tags.filter((t) => typeof t?.id === 'string').map((t) => ({ id: t.id, name: typeof t.name === 'string' ? t.name : '' })),
    inboxes,
  };
}

/**
 * The subscription's Highlight of a conversation mapped without labels, or null when out of its
 * scope. `stored`: the state stored before, so one that just moved to spam or the bin goes out once
 * more with that status (scope.ts becameHidden).
 */
export function subscriptionHighlight(base: Highlight, facts: ConversationFacts, rules: SubscriptionRules, stored?: { status: string | null }): Highlight | null {
  if (!inScopeButCustomFields(base, facts, rules, stored) || heldBack(base, rules)) return null;
  if (!inCustomFields(base, rules.scope.customFields)) return null;
  const labels = applyLabelRules(rules.labelRules, {
    tags: base.tags,
    status: base.status,
    frontStatus: facts.frontStatus,
    inboxes: facts.inboxes ?? [],
    customFields: base.customFields,
    language: base.language,
  });
  // One copy, its version then set in place (the key keeps its place in the order sent).
  const highlight: Highlight = { ...base, labels };
  highlight.version = highlightVersion(highlight, rules.redactor?.fingerprint ?? null);
  return highlight;
}

/** Held back from the subscription (see heldBack), though the rest of its scope takes it: what a run counts. */
export function isHeldBack(base: Highlight, facts: ConversationFacts, rules: SubscriptionRules, stored?: { status: string | null }): boolean {
  return heldBack(base, rules) && inScopeButCustomFields(base, facts, rules, stored);
}

function inScopeButCustomFields(base: Highlight, facts: ConversationFacts, rules: SubscriptionRules, stored?: { status: string | null }): boolean {
  if (!inInboxes(facts.inboxes, rules.scope.inboxes)) return false;
  const conversation = { tags: facts.tags };
  return inScope(base, conversation, rules.scope) || becameHidden(base, conversation, stored, rules.scope);
}

/**
 * With the custom field list unreadable, a field the conversation does not carry is either unset or
 * a name Front does not have (a typo the list would have caught): its scope and labels cannot be
 * told, so the conversation is held back from the subscription rather than sent with a wrong
 * label or left out for good. One that carries every named field is judged as usual.
 */
function heldBack(base: Highlight, rules: SubscriptionRules): boolean {
  if (!rules.customFieldsUnreadable) return false;
  const carried = (name: string) => Object.hasOwn(base.customFields ?? {}, name);
  const scoped = Object.keys(rules.scope.customFields ?? {});
  // A field it carries with another value puts it out of scope, whatever the others say.
  if (!inCustomFields(base, Object.fromEntries(Object.entries(rules.scope.customFields ?? {}).filter(([name]) => carried(name))))) return false;
  const named = [...scoped, ...rules.labelRules.flatMap((r) => Object.keys(r.when.customField ?? {}))];
  return named.some((name) => !carried(name));
}

/** scope.customFields: every field named holds one of its values (a Highlight of an older schema has none). */
function inCustomFields(base: Highlight, wanted: SubscriptionRules['scope']['customFields']): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([name, value]) => customFieldMatches(base.customFields, name, Array.isArray(value) ? value : [value]));
}

/** Names (any case) or ids. Unknown inboxes pass: README, "webhook imports ... scope.inboxes do not apply". */
function inInboxes(seen: ConversationFacts['inboxes'], wanted: string[]): boolean {
  if (wanted.length === 0 || seen === null) return true;
  return seen.some((inbox) => wanted.some((w) => w === inbox.id || w.toLowerCase() === inbox.name.toLowerCase()));
}
