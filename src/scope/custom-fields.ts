// scope.customFields and `customField` routing rules name Front's conversation custom fields. A
// name Front does not have would filter everything out (or label nothing) silently, so it stops
// the run before anything is fetched (exit 2) with the nearest real names; an enum field's value
// is checked against the field's values the same way. Names are rewritten to Front's spelling.

import { didYouMean } from '../shared/did-you-mean.js';
import type { Subscription } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { FrontCustomField } from '../front/types.js';
import type { CustomFieldValue, LabelRule } from '../highlight/types.js';

type Config = Pick<Subscription, 'scope' | 'routing'>;

export function usesCustomFields(config: Config): boolean {
  return Object.keys(config.scope.customFields).length > 0 || config.routing.labels.some((r) => r.when.customField !== undefined);
}

export function resolveCustomFields<C extends Config>(config: C, fields: FrontCustomField[]): C {
  const problems: string[] = [];
  const known = fields.filter((f) => typeof f?.name === 'string');
  const check = (where: string, name: string, values: readonly CustomFieldValue[]): string => {
    const field = known.find((f) => f.name === name) ?? known.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) {
      const hint = didYouMean(name, known.map((f) => f.name));
      problems.push(`${where}: no conversation custom field named "${name}" in Front${hint ? ` (${hint.replace(/^Did/, 'did')})` : ''}`);
      return name;
    }
    const allowed = field.type === 'enum' ? (field.values ?? []).flatMap((v) => (typeof v?.value === 'string' ? [v.value] : [])) : [];
    for (const value of values) {
      if (allowed.length > 0 && !allowed.some((a) => a.toLowerCase() === String(value).toLowerCase())) {
        const hint = didYouMean(String(value), allowed);
        problems.push(`${where}: "${String(value)}" is not a value of the enum field "${field.name}"${hint ? ` (${hint.replace(/^Did/, 'did')})` : `; its values: ${allowed.join(', ')}`}`);
      }
    }
    return field.name;
  };
  const customFields = Object.fromEntries(
    Object.entries(config.scope.customFields).map(([name, value]) => [check('scope.customFields', name, Array.isArray(value) ? value : [value]), value]),
  );
  const labels = config.routing.labels.map((rule, i): LabelRule => {
    if (rule.when.customField === undefined) return rule;
    const where = `routing.labels[${i}].when.customField`;
    const renamed = Object.fromEntries(Object.entries(rule.when.customField).map(([name, value]) => [check(where, name, [value]), value]));
    return { ...rule, when: { ...rule.when, customField: renamed } };
  });
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return { ...config, scope: { ...config.scope, customFields }, routing: { ...config.routing, labels } };
}
