// Layers the sources into the ResolvedConfig: flags > environment > config file > defaults.
// Pure: everything it reads is passed in.

import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { parseStoreLocation, type StoreLocation } from '../store/location.js';
import { DEFAULT_FRONT_URL, defaultStorePath } from '../store/paths.js';
import type { EnvSettings } from './env.js';
import type { FileConfig } from './schema.js';
import { resolveSubscriptions } from './subscriptions.js';
import type { ConfigOverrides, ResolvedConfig } from './types.js';
import { resolveUserPath } from './user-path.js';

export interface ResolveInput {
  file: FileConfig;
  /** The config file `file` came from; null when none was found. */
  configPath: string | null;
  /** front.token from the user config file, the last fallback for the token. */
  savedToken: string | null;
  /** The user config file savedToken was read from. */
  savedTokenPath?: string;
  env: EnvSettings;
  rawEnv: Record<string, string | undefined>;
  overrides: ConfigOverrides;
  cwd: string;
  homeDir: string;
  /** True when `path` is an existing directory (tells `--to host/path` from a file path). */
  isDirectory(path: string): boolean;
}

export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const { file, env, overrides, cwd, homeDir } = input;
  const fileDir = input.configPath === null ? cwd : dirname(input.configPath);
  const front = file.front ?? {};
  const listen = file.listen ?? {};
  const tokenFromEnv = env.frontToken;
  const frontUrl = (env.frontUrl ?? front.url ?? DEFAULT_FRONT_URL).replace(/\/+$/, '');
  const store = storeLocation(input, fileDir, frontUrl);
  // A PostgreSQL state has no directory: files kept beside the state go where the default file would be.
  const statePath = store.kind === 'sqlite' ? store.path : defaultStorePath(input.rawEnv, input.homeDir, frontUrl);

  return {
    configPath: input.configPath,
    front: {
      token: tokenFromEnv !== undefined ? tokenFromEnv : (front.token ?? input.savedToken),
      tokenFrom: tokenOrigin(input),
      url: frontUrl,
      plan: front.plan ?? 'professional',
      rpm: env.rpm ?? front.rpm ?? null,
      share: front.share ?? 0.8,
      burstPerSecond: front.burstPerSecond ?? 5,
      rateWindowMs: env.rateWindowMs ?? front.rateWindowMs ?? 60_000,
      concurrency: front.concurrency ?? 4,
      timeoutMs: front.timeoutMs ?? 30_000,
      retries: front.retries ?? 5,
      retryBaseMs: front.retryBaseMs ?? 1_000,
      maxResponseMB: front.maxResponseMB ?? 64,
      oauth: {
        clientId: nonEmpty(input.rawEnv.FRONT_OAUTH_CLIENT_ID) ?? front.oauth?.clientId ?? null,
        clientSecret: nonEmpty(input.rawEnv.FRONT_OAUTH_CLIENT_SECRET) ?? front.oauth?.clientSecret ?? null,
        redirectUri: front.oauth?.redirectUri ?? 'http://127.0.0.1:8484/oauth/callback',
        url: (nonEmpty(input.rawEnv.FRONT_OAUTH_URL) ?? 'https://app.frontapp.com').replace(/\/+$/, ''),
      },
    },
    store,
    subscriptionsPicked: (overrides.subscriptions ?? []).length > 0,
    subscriptions: resolveSubscriptions({
      file,
      overrides,
      env,
      fileDir,
      cwd,
      homeDir,
      isDirectory: input.isDirectory,
      configPath: input.configPath,
      stateDir: dirname(statePath),
    }),
    highlights: highlightSettings(file, env),
    sync: {
      initialWindow: file.sync?.initialWindow?.trim() ?? '1d',
      overlapSeconds: file.sync?.overlapSeconds ?? 120,
    },
    listen: {
      host: listen.host ?? '127.0.0.1',
      port: listen.port ?? 8787,
      path: listen.path ?? '/front/webhook',
      secret: env.webhookSecret ?? listen.secret ?? null,
      ruleSecret: listen.ruleSecret ?? null,
      // Node hands over incoming header names in lower case.
      ruleSecretHeader: (listen.ruleSecretHeader ?? 'x-front-import-secret').toLowerCase(),
    },
  };
}

function tokenOrigin({ env, file, configPath, savedToken, savedTokenPath }: ResolveInput): string | null {
  if (env.frontToken !== undefined) return 'FRONT_API_TOKEN';
  if (file.front?.token) return `front.token in ${configPath}`;
  return savedToken ? `front.token in ${savedTokenPath} (saved by connect --save)` : null;
}

/**
 * highlights.*: the redaction list in either form, and the pseudonyms' key, without which
 * pseudonymize is refused here (exit 2) rather than silently leaving names in the clear.
 */
function highlightSettings(file: FileConfig, env: EnvSettings): ResolvedConfig['highlights'] {
  const h = file.highlights ?? {};
  const redact = Array.isArray(h.redact) ? { kinds: h.redact, patterns: [] } : { kinds: h.redact?.kinds ?? [], patterns: h.redact?.patterns ?? [] };
  const piiKey = env.piiKey ?? h.piiKey ?? null;
  const pseudonymize = h.pseudonymize ?? false;
  if (pseudonymize && !piiKey) {
    throw new ConfigError(
      'highlights.pseudonymize needs a key: set FRONT_IMPORT_PII_KEY to a long random secret (e.g. `openssl rand -hex 32`) and keep it, ' +
        'since another key gives every person new pseudonyms',
    );
  }
  if (pseudonymize && piiKey !== null && piiKey.length < 16) {
    throw new ConfigError('FRONT_IMPORT_PII_KEY is too short for highlights.pseudonymize: use at least 16 random characters (e.g. `openssl rand -hex 32`)');
  }
  return { maxTextLength: h.maxTextLength ?? 4_000, textFrom: h.textFrom ?? 'latest', redact: { kinds: [...new Set(redact.kinds)], patterns: redact.patterns }, pseudonymize, piiKey };
}

/**
 * The state location, from the first layer that sets one. Within a layer the URL setting and the
 * older file-path setting are alternatives: both at once is refused instead of one silently winning.
 */
function storeLocation(input: ResolveInput, fileDir: string, frontUrl: string): StoreLocation {
  const { overrides, env, file, cwd, homeDir } = input;
  const layers: { url?: string; urlName: string; path?: string; pathName: string; base: string }[] = [
    { url: overrides.state, urlName: '--state', path: overrides.db, pathName: '--db', base: cwd },
    { url: env.stateUrl, urlName: 'FRONT_IMPORT_STATE_URL', path: env.storePath, pathName: 'FRONT_IMPORT_DB', base: cwd },
    { url: file.state?.url, urlName: 'state.url', path: file.store?.path, pathName: 'store.path', base: fileDir },
  ];
  for (const layer of layers) {
    const resolvePath = (path: string) => resolveUserPath(path, layer.base, homeDir);
    if (layer.url !== undefined && layer.path !== undefined) {
      throw new ConfigError(`${layer.urlName} and ${layer.pathName} both name the state; keep one`);
    }
    if (layer.url !== undefined) return parseStoreLocation(layer.url, layer.urlName, resolvePath);
    if (layer.path !== undefined) return { kind: 'sqlite', path: resolvePath(layer.path), isDefault: false };
  }
  return { kind: 'sqlite', path: defaultStorePath(input.rawEnv, homeDir, frontUrl), isDefault: true };
}


function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}
