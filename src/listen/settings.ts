// Flags over config for `listen`, checked before anything is opened: refusing to start without a
// way to authenticate Front is the safe default, --insecure-no-verify the explicit way out.

import type { ResolvedConfig } from '../config/types.js';
import { ConfigError, UsageError } from '../errors.js';
import type { AuthSettings } from './authenticate.js';
import { trimSlash } from './route.js';

export interface ListenFlags {
  port?: number;
  host?: string;
  path?: string;
  insecureNoVerify: boolean;
}

export interface ListenSettings {
  host: string;
  port: number;
  path: string;
  auth: AuthSettings;
}

export function resolveListenSettings(flags: ListenFlags, config: ResolvedConfig['listen']): ListenSettings {
  const port = flags.port ?? config.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`listen: port must be a whole number from 0 to 65535 (got ${port})`);
  const path = flags.path ?? config.path;
  if (!path.startsWith('/') || /[?#\s]/.test(path)) throw new UsageError(`listen: path must start with "/" and hold no query, fragment or spaces (got "${path}")`);
  const auth: AuthSettings = {
    secret: config.secret || null,
    ruleSecret: config.ruleSecret || null,
    ruleSecretHeader: config.ruleSecretHeader.toLowerCase(),
    insecure: flags.insecureNoVerify,
  };
  if (!auth.secret && !auth.ruleSecret && !auth.insecure) {
    throw new ConfigError(
      'listen: no webhook secret configured: set FRONT_WEBHOOK_SECRET (or listen.secret in the config file) to the app\'s signing secret, ' +
        'or listen.ruleSecret for rule webhooks; --insecure-no-verify skips verification for local testing only',
    );
  }
  return { host: flags.host ?? config.host, port, path: trimSlash(path), auth };
}

/** The one startup line: where to point Front, and what a request must prove. */
export function startupLine(settings: ListenSettings, boundPort: number): string {
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const { auth } = settings;
  const rules = [
    auth.secret ? 'app webhooks: signature required' : null,
    auth.ruleSecret ? `rule webhooks: shared secret in the last path segment or ${auth.ruleSecretHeader} required` : null,
    auth.insecure ? 'INSECURE: unauthenticated requests accepted' : null,
  ].filter((r) => r !== null);
  return `listening on http://${host}:${boundPort}${settings.path} (${rules.join('; ')})`;
}

export const INSECURE_WARNING =
  '--insecure-no-verify: webhook requests are NOT authenticated; anyone who can reach this port can make front-import fetch and ' +
  'deliver conversations. Use it only for local testing, never on a reachable address.';

/** Shorter webhook secrets can be guessed or brute-forced offline from one signed request. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** One warning per configured secret that is too short to rely on (said once: at listen start-up, by `config`). */
export function weakSecretWarnings(config: Pick<ResolvedConfig['listen'], 'secret' | 'ruleSecret'>): string[] {
  const named: [string, string | null][] = [
    ['the webhook secret (FRONT_WEBHOOK_SECRET or listen.secret)', config.secret],
    ['listen.ruleSecret', config.ruleSecret],
  ];
  return named
    .flatMap(([what, value]) => (value && value.length < MIN_WEBHOOK_SECRET_LENGTH ? [{ what, length: value.length }] : []))
    .map(
      ({ what, length }) =>
        `${what} is ${length} characters long: anyone who guesses it can make front-import import and deliver what they like; ` +
        `use at least ${MIN_WEBHOOK_SECRET_LENGTH} random characters (e.g. openssl rand -hex 32)`,
    );
}
