// Checks every inbox and tag a run names (--inbox/--tag, scope.*, routing.labels) against Front's
// real ones before anything is fetched. A name Front does not have would otherwise filter
// everything out silently ("0 conversations seen", exit 0). Names match by id, by name in any case,
// or by name ignoring emoji and punctuation ("urgent" for "urgent 🔥") when that is unambiguous;
// each is replaced by Front's own spelling so the run's filters match exactly.

import { count } from '../terminal/plural.js';
import { didYouMean, normalizeName } from '../shared/did-you-mean.js';
import type { Subscription } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { LabelRule } from '../highlight/types.js';

interface Named {
  id: string;
  name: string;
}

type NamedConfig = Pick<Subscription, 'scope' | 'routing'>;

/** What the config names, by kind; an import needs Front's list only for the kinds it names. */
export function namesUsed(config: NamedConfig): { inboxes: boolean; tags: boolean } {
  const rules = config.routing.labels;
  return {
    inboxes: config.scope.inboxes.length > 0 || rules.some((r) => r.when.inbox !== undefined),
    tags: config.scope.tags.length > 0 || config.scope.excludeTags.length > 0 || rules.some((r) => r.when.tag !== undefined),
  };
}

/**
 * The config with every inbox named by id and every tag by Front's exact name; throws UsageError
 * listing each unknown name with the nearest real ones. A null list is not checked.
 */
export function resolveScopeNames<C extends NamedConfig>(config: C, inboxes: Named[] | null, tags: Named[] | null): C {
  const problems: { text: string; hint: string | null }[] = [];
  const match = (kind: 'inbox' | 'tag', where: string, known: Named[] | null, value: string, as: 'id' | 'name'): string => {
    if (known === null) return value;
    const found = find(known, value);
    if (found) return found[as];
    const seen = kind === 'inbox' ? `the ${count(known.length, 'inbox', 'inboxes')} this token can see` : `Front's ${count(known.length, 'tag')}`;
    problems.push({ text: `${where}: no ${kind} named "${value}" among ${seen}`, hint: didYouMean(value, known.map((k) => k.name)) });
    return value;
  };
  const scope = {
    ...config.scope,
    inboxes: config.scope.inboxes.map((v) => match('inbox', 'scope.inboxes (--inbox)', inboxes, v, 'id')),
    tags: config.scope.tags.map((v) => match('tag', 'scope.tags (--tag)', tags, v, 'name')),
    excludeTags: config.scope.excludeTags.map((v) => match('tag', 'scope.excludeTags', tags, v, 'name')),
  };
  const labels = config.routing.labels.map((rule, i): LabelRule => {
    const where = `routing.labels[${i}].when`;
    if (rule.when.inbox !== undefined) return { ...rule, when: { ...rule.when, inbox: match('inbox', `${where}.inbox`, inboxes, rule.when.inbox, 'id') } };
    if (rule.when.tag !== undefined) return { ...rule, when: { ...rule.when, tag: match('tag', `${where}.tag`, tags, rule.when.tag, 'name') } };
    return rule;
  });
  if (problems.length > 0) {
    // One problem: its suggestion on a line of its own. Several: one line each, suggestion inline.
    const [only] = problems;
    const lines =
      only && problems.length === 1
        ? [only.text, ...(only.hint ? [only.hint] : [])]
        : [`${problems.length} names are unknown to Front:`, ...problems.map((p) => `  ${p.text}${p.hint ? ` (${p.hint.replace(/^Did/, 'did')})` : ''}`)];
    const privateNote = problems.some((p) => p.text.includes('no inbox')) ? ' (a private inbox shows only to a token allowed to read private resources)' : '';
    lines.push(`\`front-import connect\` lists the inboxes and tags this token sees${privateNote}.`);
    throw new UsageError(lines.join('\n'));
  }
  return { ...config, scope, routing: { ...config.routing, labels } };
}

function find(known: Named[], value: string): Named | undefined {
  const byId = known.find((k) => k.id === value);
  if (byId) return byId;
  const lower = value.trim().toLowerCase();
  const byName = known.filter((k) => k.name.trim().toLowerCase() === lower);
  if (byName.length >= 1) return byName[0];
  const normalized = normalizeName(value);
  const loose = known.filter((k) => normalizeName(k.name) === normalized && normalized !== '');
  return loose.length === 1 ? loose[0] : undefined;
}
