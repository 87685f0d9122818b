// loadConfig: the one entry point commands use to get their settings.
// Precedence: flags (overrides) > environment > config file > defaults. For the Front token:
// FRONT_API_TOKEN > the config file found > the user config file (where `connect --save` puts it),
// so a project config without a token still picks up the saved one.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuthError, ConfigError } from '../errors.js';
import { headerUnsafeAt, headerUnsafeMessage } from '../shared/header-safe.js';
import { readEnvSettings } from './env.js';
import { findConfig, readConfigFile, type RawConfig } from './find-config.js';
import { checkOverrides } from './flag-overrides.js';
import { formatIssues } from './format-issues.js';
import { interpolateEnv } from './interpolate.js';
import { resolveConfig, type ResolveInput } from './resolve.js';
import type { FileConfig } from './schema.js';
import type { ConfigOverrides, ResolvedConfig } from './types.js';
import { userConfigPath } from './user-config.js';

export { saveUserToken, userConfigPath } from './user-config.js';

export interface LoadConfigInput {
  /** --config PATH: exactly this file (a missing file is an error). */
  configPath?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** From flags; they win over everything. */
  overrides?: ConfigOverrides;
}

export async function loadConfig(input: LoadConfigInput): Promise<ResolvedConfig> {
  return resolveConfig(await loadConfigSources(input));
}

/** Every layer the configuration is made of, read and checked, before they are merged. */
export async function loadConfigSources(input: LoadConfigInput): Promise<ResolveInput> {
  const { cwd, env, homeDir } = input;
  const overrides = input.overrides ?? {};
  checkOverrides(overrides);
  const envSettings = readEnvSettings(env);

  const raw = input.configPath === undefined ? await findConfig({ cwd, env, homeDir }) : await namedConfig(input.configPath, cwd);
  const file = raw ? await validate(raw, env) : {};

  const savedPath = userConfigPath(env, homeDir);
  const needsSavedToken = envSettings.frontToken === undefined && !file.front?.token && raw?.path !== savedPath;
  const saved = needsSavedToken ? await readConfigFile(savedPath) : null;

  return {
    file,
    configPath: raw?.path ?? null,
    savedToken: saved ? ((await validate(saved, env)).front?.token ?? null) : null,
    savedTokenPath: savedPath,
    env: envSettings,
    rawEnv: env,
    overrides,
    cwd,
    homeDir,
    isDirectory: (path) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false,
  };
}

/** The Front token, or an AuthError telling the user how to provide one. */
export function requireToken(config: ResolvedConfig, env: Record<string, string | undefined>): string {
  if (env.FRONT_API_TOKEN !== undefined && env.FRONT_API_TOKEN.trim() === '') {
    throw new AuthError('FRONT_API_TOKEN is set but empty: put your Front API token in it, or unset it to use the one saved by `front-import connect --save`');
  }
  if (!config.front.token) {
    throw new AuthError(
      'no Front API token: set FRONT_API_TOKEN, or save it once with `FRONT_API_TOKEN=<token> front-import connect --save`, or connect your Front app with `front-import connect --oauth`',
    );
  }
  checkHeaderSafe(config.front.token, config.front.tokenFrom ?? 'the config');
  return config.front.token;
}

/** A token an HTTP header cannot carry would fail every request as if the network were down: say so at once. */
function checkHeaderSafe(token: string, from: string): void {
  const position = headerUnsafeAt(token);
  if (position !== null) throw new AuthError(headerUnsafeMessage(`the Front token in ${from}`, position));
}

async function namedConfig(path: string, cwd: string): Promise<RawConfig> {
  const absolute = resolve(cwd, path);
  const raw = await readConfigFile(absolute);
  if (raw === null) throw new ConfigError(`--config: no such file: ${absolute}`);
  return raw;
}

/**
 * Interpolated and checked against the schema; every error names the file and the key. The schema
 * (zod) is loaded only when there is a file to check: a cron `status` with env-only settings never pays for it.
 */
async function validate(raw: RawConfig, env: Record<string, string | undefined>): Promise<FileConfig> {
  let data: unknown;
  try {
    data = interpolateEnv(raw.data, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${raw.path}: ${err.message}`);
    throw err;
  }
  const { fileConfigSchema } = await import('./schema.js');
  const result = fileConfigSchema.safeParse(data);
  if (!result.success) throw new ConfigError(`${raw.path}: ${formatIssues(result.error.issues, data)}`);
  return result.data;
}
