// Where a subscription's Highlights go. For the implicit subscription (top-level keys): --to beats
// FRONT_IMPORT_DEST_URL beats the config file beats highlights.ndjson beside the state file, and
// switching to an http URL from a flag or the environment keeps the http settings (token, batch
// size, ...) of the config file. A named subscription has its own destination; the environment's
// token and signing secret only fill in what it leaves unset, since one teamspace's credentials
// must not override another's. The default file is not relative to the current directory: a cron
// job started in / would scatter files there, and a terminal backfill followed by cron syncs should
// append to one file.

import { join } from 'node:path';
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
  file: FileConfig['destination'] | undefined;
  /** The implicit subscription: the environment wins over the file (see above). */
  implicit: boolean;
  /** Directory of the config file, against which its relative paths resolve. */
  fileDir: string;
  cwd: string;
  homeDir: string;
  /** True when `path` names an existing directory (for telling `--to host/path` from a file). */
  isDirectory(path: string): boolean;
  /** The state file's folder, where the default NDJSON file goes. */
  stateDir: string;
}

export function resolveDestination(input: DestinationInput): DestinationSettings {
  const { flag, env, file, implicit } = input;
  const fileHttp = file?.type === 'http' ? file : undefined;
  const fromEnv = <T>(envValue: T | undefined, fileValue: T | null | undefined): T | null =>
    (implicit ? (envValue ?? fileValue) : (fileValue ?? envValue)) ?? null;
  const http = (url: string): DestinationSettings => ({
    type: 'http',
    url,
    token: fromEnv(env.destinationToken, fileHttp?.token),
    batchSize: fileHttp?.batchSize ?? HTTP_DEFAULTS.batchSize,
    timeoutMs: fileHttp?.timeoutMs ?? HTTP_DEFAULTS.timeoutMs,
    retries: fileHttp?.retries ?? HTTP_DEFAULTS.retries,
    retryBaseMs: fileHttp?.retryBaseMs ?? HTTP_DEFAULTS.retryBaseMs,
    signingSecret: fromEnv(env.destinationSigningSecret, fileHttp?.signingSecret),
  });
  const ndjson = (path: string, base: string): DestinationSettings => ({
    type: 'ndjson',
    path: path === '-' ? '-' : resolveUserPath(path, base, input.homeDir),
    isDefault: false,
  });

  if (flag !== undefined) {
    const target = parseTo(flag, (p) => input.isDirectory(resolveUserPath(p, input.cwd, input.homeDir)));
    return target.kind === 'http' ? http(target.url) : ndjson(target.path, input.cwd);
  }
  if (implicit && env.destinationUrl !== undefined) return http(env.destinationUrl);
  if (file?.type === 'http') return http(file.url);
  if (file?.type === 'ndjson') return ndjson(file.path, input.fileDir);
  return { type: 'ndjson', path: join(input.stateDir, DEFAULT_NDJSON_PATH), isDefault: true };
}

type ToTarget = { kind: 'http'; url: string } | { kind: 'file'; path: string };

/**
 * `--to`: "-" (stdout), an http(s) URL, or a file path. Any other scheme is refused, not taken as a
 * file name; so is a URL typed without its scheme (`next.example.com/v1/highlights`), which would
 * otherwise quietly become a file in a new folder with every item marked delivered.
 */
export function parseTo(value: string, isDirectory: (path: string) => boolean): ToTarget {
  const hasScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value);
  const isHttp = /^https?:\/\//i.test(value) && isHttpUrl(value);
  if (isHttp) return { kind: 'http', url: value };
  if (value.trim() === '' || hasScheme) {
    throw new ConfigError(`--to: expected a file path, - or an http(s) URL; got ${quote(value)}`);
  }
  if (looksLikeHost(value) && !isDirectory(value.slice(0, value.indexOf('/')))) {
    throw new ConfigError(
      `--to: ${quote(value)} looks like a web address without its scheme: did you mean https://${value}? ` +
        `(for a file under a folder of that name, write ./${value})`,
    );
  }
  return { kind: 'file', path: value };
}

/** "host.tld/…" or "host:port/…": a dot (or a port) in the part before the first slash. */
function looksLikeHost(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash <= 0) return false;
  const head = value.slice(0, slash);
  if (head === '.' || head === '..' || head.startsWith('~')) return false;
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$/.test(head) || /^[A-Za-z0-9-]+:\d+$/.test(head);
}
