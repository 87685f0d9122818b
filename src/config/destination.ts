// Where Highlights go: --to beats FRONT_IMPORT_DEST_URL beats the config file beats
// ./highlights.ndjson. Switching to an http URL from a flag or the environment keeps the http
// settings (token, batch size, ...) of the config file.

import type { DestinationSettings } from './types.js';
import type { EnvSettings } from './env.js';
import type { FileConfig } from './schema.js';
import { ConfigError } from '../errors.js';
import { isHttpUrl } from './http-url.js';
import { quote } from './quote.js';
import { resolveUserPath } from './user-path.js';

export const DEFAULT_NDJSON_PATH = 'highlights.ndjson';
const HTTP_DEFAULTS = { batchSize: 100, timeoutMs: 15_000, retries: 5, retryBaseMs: 1_000 };

export interface DestinationInput {
  /** --to */
  flag: string | undefined;
  env: EnvSettings;
  file: FileConfig['destination'];
  /** Directory of the config file, against which its relative paths resolve. */
  fileDir: string;
  cwd: string;
  homeDir: string;
}

export function resolveDestination(input: DestinationInput): DestinationSettings {
  const { flag, env, file } = input;
  const fileHttp = file?.type === 'http' ? file : undefined;
  const http = (url: string): DestinationSettings => ({
    type: 'http',
    url,
    token: env.destinationToken ?? fileHttp?.token ?? null,
    batchSize: fileHttp?.batchSize ?? HTTP_DEFAULTS.batchSize,
    timeoutMs: fileHttp?.timeoutMs ?? HTTP_DEFAULTS.timeoutMs,
    retries: fileHttp?.retries ?? HTTP_DEFAULTS.retries,
    retryBaseMs: fileHttp?.retryBaseMs ?? HTTP_DEFAULTS.retryBaseMs,
  });
  const ndjson = (path: string, base: string): DestinationSettings => ({
    type: 'ndjson',
    path: path === '-' ? '-' : resolveUserPath(path, base, input.homeDir),
    isDefault: false,
  });

  if (flag !== undefined) {
    const target = parseTo(flag);
    return target.kind === 'http' ? http(target.url) : ndjson(target.path, input.cwd);
  }
  if (env.destinationUrl !== undefined) return http(env.destinationUrl);
  if (file?.type === 'http') return http(file.url);
  if (file?.type === 'ndjson') return ndjson(file.path, input.fileDir);
  return { type: 'ndjson', path: resolveUserPath(DEFAULT_NDJSON_PATH, input.cwd, input.homeDir), isDefault: true };
}

type ToTarget = { kind: 'http'; url: string } | { kind: 'file'; path: string };

/** `--to`: "-" (stdout), an http(s) URL, or a file path; any other scheme is refused, not taken as a file name. */
export function parseTo(value: string): ToTarget {
  const hasScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value);
  const isHttp = /^https?:\/\//i.test(value) && isHttpUrl(value);
  if (isHttp) return { kind: 'http', url: value };
  if (value.trim() === '' || hasScheme) {
    throw new ConfigError(`--to: expected a file path, - or an http(s) URL; got ${quote(value)}`);
  }
  return { kind: 'file', path: value };
}
