// The subscriptions a run acts on. A config's top-level destination/scope/routing keys are one
// implicit subscription named "default" (so a config written before subscriptions existed keeps
// working); `subscriptions:` adds named ones. --subscription picks some; --to and the scope flags
// change one, so they need exactly one picked.

import { UsageError, ConfigError } from '../errors.js';
import { destinationKey } from './destination-key.js';
import { closestKey } from '../shared/did-you-mean.js';
import { resolveDestination, type DestinationInput } from './destination.js';
import { quote } from './quote.js';
import type { FileConfig } from './schema.js';
import type { ConfigOverrides, ScopeSettings, Subscription } from './types.js';
import { itemAt } from '../shared/item-at.js';

export const IMPLICIT_SUBSCRIPTION = 'default';

type SubscriptionInput = Omit<DestinationInput, 'flag' | 'file' | 'implicit'> & {
  file: FileConfig;
  overrides: ConfigOverrides;
  /** Where the config came from, for error messages. */
  configPath: string | null;
};

export function resolveSubscriptions(input: SubscriptionInput): Subscription[] {
  const { file, overrides } = input;
  const configured = configuredSubscriptions(input);
  const picked = pick(configured, overrides.subscriptions);
  const flags = flagsUsed(overrides);
  if (flags.length === 0) return picked;
  if (picked.length > 1) {
    throw new UsageError(
      `${flags.join(', ')}: ${flags.length > 1 ? 'apply' : 'applies'} to one subscription; add --subscription NAME (configured: ${names(configured)})`,
    );
  }
  const only = itemAt(picked, 0);
  const fileEntry = only.implicit ? file : file.subscriptions?.find((s) => s.name === only.name);
  return [
    {
      ...only,
      destination:
        overrides.to === undefined
          ? only.destination
          : resolveDestination({ ...input, flag: overrides.to, file: fileEntry?.destination ?? undefined, implicit: only.implicit }),
      scope: {
        ...only.scope,
        inboxes: overrides.inboxes ?? only.scope.inboxes,
        tags: overrides.tags ?? only.scope.tags,
        statuses: overrides.statuses ?? only.scope.statuses,
      },
    },
  ];
}

function configuredSubscriptions(input: SubscriptionInput): Subscription[] {
  const { file } = input;
  const named = file.subscriptions ?? [];
  const hasTopLevel = file.destination != null || file.scope != null || file.routing != null;
  if (named.length > 0 && !hasTopLevel && input.env.destinationUrl !== undefined) {
    // It sets the top-level destination, which this config does not have: applying it to one of
    // the subscriptions would be a guess, and ignoring it would deliver somewhere the user did not mean.
    throw new ConfigError(
      `FRONT_IMPORT_DEST_URL is set, but ${input.configPath ?? 'the config'} has only named subscriptions (${named.map((e) => e.name).join(', ')}), ` +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: ${FRONT_IMPORT_DEST_URL} is the config file's own syntax, quoted to the user.
        'each with its own destination, so it would apply to none: unset it, or write destination.url: ${FRONT_IMPORT_DEST_URL} in the subscription it is for',
    );
  }
  const list: Subscription[] = [];
  if (named.length === 0 || hasTopLevel) {
    list.push({
      name: IMPLICIT_SUBSCRIPTION,
      implicit: true,
      destination: resolveDestination({ ...input, flag: undefined, file: file.destination ?? undefined, implicit: true }),
      scope: scopeOf(file.scope),
      routing: { labels: file.routing?.labels ?? [] },
    });
  }
  for (const entry of named) {
    list.push({
      name: entry.name,
      implicit: false,
      destination: resolveDestination({ ...input, flag: undefined, file: entry.destination, implicit: false }),
      scope: scopeOf(entry.scope),
      routing: { labels: entry.routing?.labels ?? [] },
    });
  }
  checkDistinct(list, input.configPath);
  return list;
}

function scopeOf(scope: FileConfig['scope'] | undefined): ScopeSettings {
  return {
    inboxes: scope?.inboxes ?? [],
    teams: scope?.teams ?? [],
    tags: scope?.tags ?? [],
    excludeTags: scope?.excludeTags ?? [],
    statuses: scope?.statuses ?? [],
    customFields: scope?.customFields ?? {},
  };
}

/** Names identify subscriptions in flags and status; destinations own the delivery state. */
function checkDistinct(list: Subscription[], configPath: string | null): void {
  const where = configPath ?? 'config';
  const byName = new Map<string, Subscription>();
  const byDestination = new Map<string, Subscription>();
  for (const sub of list) {
    const sameName = byName.get(sub.name.toLowerCase());
    if (sameName) {
      const hint = sub.name === IMPLICIT_SUBSCRIPTION ? ' ("default" is the subscription made of the top-level destination, scope and routing keys)' : '';
      throw new ConfigError(`${where}: subscriptions: two subscriptions are named ${quote(sub.name)}${hint}`);
    }
    byName.set(sub.name.toLowerCase(), sub);
    const key = destinationKey(sub.destination);
    const sameDestination = byDestination.get(key);
    if (sameDestination) {
      throw new ConfigError(
        `${where}: subscriptions ${quote(sameDestination.name)} and ${quote(sub.name)} both deliver to ${key}: ` +
          'delivery state is kept per destination, so give each subscription its own',
      );
    }
    byDestination.set(key, sub);
  }
}

function pick(configured: Subscription[], wanted: string[] | undefined): Subscription[] {
  if (wanted === undefined || wanted.length === 0) return configured;
  const known = configured.map((s) => s.name);
  const picked: Subscription[] = [];
  for (const name of wanted) {
    const found = configured.find((s) => s.name === name) ?? configured.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      const guess = closestKey(name, known);
      throw new UsageError(
        `--subscription: no subscription named ${quote(name)}${guess ? ` (did you mean ${quote(guess)}?)` : ''}; configured: ${names(configured)}`,
      );
    }
    if (!picked.includes(found)) picked.push(found);
  }
  return picked;
}

function flagsUsed(overrides: ConfigOverrides): string[] {
  const used: [string, unknown][] = [
    ['--to', overrides.to],
    ['--inbox', overrides.inboxes],
    ['--tag', overrides.tags],
    ['--status', overrides.statuses],
  ];
  return used.filter(([, value]) => value !== undefined).map(([flag]) => flag);
}

function names(list: Subscription[]): string {
  return list.map((s) => s.name).join(', ');
}
