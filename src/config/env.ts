// The settings the environment may set, read and checked. An empty variable counts as unset,
// except FRONT_API_TOKEN: an empty token is almost always a broken `export`, and requireToken
// says so instead of silently falling back to a saved token.

import { ConfigError } from '../errors.js';
import { HTTP_URL_EXPECTATION, isHttpUrl } from './http-url.js';
import { quote } from './quote.js';

export interface EnvSettings {
  /** undefined: FRONT_API_TOKEN is not set; null: set but empty. */
  frontToken?: string | null;
  frontUrl?: string;
  storePath?: string;
  stateUrl?: string;
  rpm?: number;
  rateWindowMs?: number;
  destinationToken?: string;
  destinationUrl?: string;
  destinationSigningSecret?: string;
  webhookSecret?: string;
  /** FRONT_IMPORT_PII_KEY: the HMAC key of highlights.pseudonymize. */
  piiKey?: string;
}

export function readEnvSettings(env: Record<string, string | undefined>): EnvSettings {
  const value = (name: string) => (env[name] === '' ? undefined : env[name]);
  const secret = (name: string) => value(name)?.trim() || undefined;
  const rawToken = env.FRONT_API_TOKEN;
  return {
    frontToken: rawToken === undefined ? undefined : rawToken.trim() || null,
    frontUrl: httpUrl('FRONT_API_URL', value('FRONT_API_URL')),
    storePath: value('FRONT_IMPORT_DB'),
    stateUrl: value('FRONT_IMPORT_STATE_URL'),
    rpm: positiveInt('FRONT_IMPORT_RPM', value('FRONT_IMPORT_RPM')),
    rateWindowMs: positiveInt('FRONT_IMPORT_RATE_WINDOW_MS', value('FRONT_IMPORT_RATE_WINDOW_MS')),
    destinationToken: secret('FRONT_IMPORT_DEST_TOKEN'),
    destinationUrl: httpUrl('FRONT_IMPORT_DEST_URL', value('FRONT_IMPORT_DEST_URL')),
    destinationSigningSecret: secret('FRONT_IMPORT_DEST_SIGNING_SECRET'),
    webhookSecret: secret('FRONT_WEBHOOK_SECRET'),
    piiKey: secret('FRONT_IMPORT_PII_KEY'),
  };
}

function httpUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!isHttpUrl(raw.trim())) throw new ConfigError(`${name}: ${HTTP_URL_EXPECTATION}; got ${quote(raw)}`);
  return raw.trim();
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(`${name}: expected a positive integer; got ${quote(raw)}`);
  }
  return n;
}
