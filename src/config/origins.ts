// Where each effective setting came from (flag, environment variable, which file, default), for
// `front-import config`. It reads the same layers resolve.ts merges, in the same order:
// flags > environment > config file > user config file (the token only) > defaults.

import type { ResolveInput } from './resolve.js';
import { isSecretKey } from './secret-keys.js';
import type { ResolvedConfig } from './types.js';
import { userConfigPath } from './user-config.js';

export interface Setting {
  key: string;
  /** As shown: secrets are masked. */
  value: string;
  origin: string;
}

/** Flags that set a key (only the commands that take them pass them). */
const FLAGS: Record<string, { flag: string; set: (o: ResolveInput['overrides']) => boolean }> = {
  'store.path': { flag: '--db', set: (o) => o.db !== undefined },
  'state.url': { flag: '--state', set: (o) => o.state !== undefined },
  destination: { flag: '--to', set: (o) => o.to !== undefined },
  'scope.inboxes': { flag: '--inbox', set: (o) => o.inboxes !== undefined },
  'scope.tags': { flag: '--tag', set: (o) => o.tags !== undefined },
  'scope.statuses': { flag: '--status', set: (o) => o.statuses !== undefined },
};

/** Environment variables that set a key; an empty one counts as unset (FRONT_API_TOKEN aside). */
const ENV: Record<string, string> = {
  'front.token': 'FRONT_API_TOKEN',
  'front.url': 'FRONT_API_URL',
  'front.rpm': 'FRONT_IMPORT_RPM',
  'front.rateWindowMs': 'FRONT_IMPORT_RATE_WINDOW_MS',
  'store.path': 'FRONT_IMPORT_DB',
  'state.url': 'FRONT_IMPORT_STATE_URL',
  destination: 'FRONT_IMPORT_DEST_URL',
  'destination.token': 'FRONT_IMPORT_DEST_TOKEN',
  'destination.signingSecret': 'FRONT_IMPORT_DEST_SIGNING_SECRET',
  'listen.secret': 'FRONT_WEBHOOK_SECRET',
};

/**
 * Every effective setting. The implicit subscription's keys are the top-level destination, scope
 * and routing keys; a named subscription's are prefixed `subscriptions.<name>.`.
 */
export function describeSettings(config: ResolvedConfig, src: ResolveInput): Setting[] {
  const settings: Setting[] = [];
  const { configPath: _path, subscriptions, store, ...rest } = config;
  // Shown under the config key that sets it; a PostgreSQL URL only without its password.
  const sections = { ...(store.kind === 'sqlite' ? { store: { path: store.path } } : { state: { url: store.display } }), ...rest };
  for (const [key, value] of leaves(sections)) settings.push({ key, value: shown(key, value), origin: originOf(key, value, src) });
  for (const sub of subscriptions) {
    const entry = sub.implicit ? null : (src.file.subscriptions ?? []).find((e) => e.name === sub.name);
    for (const [key, value] of leaves({ destination: sub.destination, scope: sub.scope, routing: sub.routing })) {
      if (key === 'destination.isDefault') continue;
      const origin = entry === null ? originOf(key, value, src) : namedOrigin(key, value, entry, src);
      settings.push({ key: sub.implicit ? key : `subscriptions.${sub.name}.${key}`, value: shown(key, value), origin });
    }
  }
  return settings;
}

/** A named subscription takes nothing from flags (but --to and scope flags when it is the only one picked). */
function namedOrigin(key: string, value: unknown, entry: object | undefined, src: ResolveInput): string {
  if (valueAt(entry, key) !== undefined) return `file ${src.configPath}`;
  const envName = ENV[key];
  if (envName !== undefined && value && src.rawEnv[envName]) return `env ${envName}`;
  return 'default';
}

function originOf(key: string, value: unknown, src: ResolveInput): string {
  // A destination is chosen whole: --to or FRONT_IMPORT_DEST_URL decide its type and address.
  const group = key.startsWith('destination.') && ['destination.type', 'destination.url', 'destination.path'].includes(key) ? 'destination' : key;
  const flag = FLAGS[group];
  if (flag?.set(src.overrides)) return `flag ${flag.flag}`;
  const envName = ENV[group];
  if (envName !== undefined && (envName === 'FRONT_API_TOKEN' ? src.rawEnv[envName] !== undefined : Boolean(src.rawEnv[envName]))) return `env ${envName}`;
  if (src.configPath !== null && valueAt(src.file, key) !== undefined) return `file ${src.configPath}`;
  if (key === 'front.token' && value) return `file ${userConfigPath(src.rawEnv, src.homeDir)} (saved by connect --save)`;
  if (key === 'destination.path' && valueAt(src.file, 'destination') === undefined) return 'default (beside the state file)';
  return 'default';
}

function shown(key: string, value: unknown): string {
  if (isSecretKey(key)) return value ? '*** (set)' : '(not set)';
  if (value === null || value === undefined) return '(not set)';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return String(value);
}

function* leaves(value: Record<string, unknown>, prefix = ''): Generator<[string, unknown]> {
  for (const [name, child] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) yield* leaves(child as Record<string, unknown>, key);
    else yield [key, child];
  }
}

function valueAt(data: unknown, key: string): unknown {
  let current = data;
  for (const segment of key.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current ?? undefined;
}
