// Where the state lives, from what a user typed (`--state`, FRONT_IMPORT_STATE_URL, state.url,
// or the older `--db` / FRONT_IMPORT_DB / store.path): a SQLite file, or a PostgreSQL database.
// Pure: the caller resolves relative file paths.

import { ConfigError } from '../errors.js';
import { itemAt } from '../shared/item-at.js';

export type StoreLocation =
  | { kind: 'sqlite'; path: string; isDefault: boolean }
  | {
      kind: 'postgres';
      /** The connection URL as given, password included: hand it to the driver, never print it. */
      url: string;
      /** The URL without its password (or any other secret parameter), fit to print. */
      display: string;
      /** The PostgreSQL schema holding the tables (`?schema=`, default front_import). */
      schema: string;
    };

export const DEFAULT_PG_SCHEMA = 'front_import';

const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:']);
/** libpq URL parameters that carry a secret. */
const SECRET_PARAMS = ['password', 'sslpassword'];
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const STATE_URL_EXPECTATION = 'expected a file path, a sqlite: URL or a postgres:// URL';

/**
 * Parses a state location. `source` names where it came from (a flag, a variable, a config key)
 * for the error message; `resolvePath` makes a file path absolute.
 */
export function parseStoreLocation(raw: string, source: string, resolvePath: (path: string) => string): StoreLocation {
  const text = raw.trim();
  if (text === '') throw new ConfigError(`${source}: ${STATE_URL_EXPECTATION}; got an empty value`);
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'sqlite:') return { kind: 'sqlite', path: resolvePath(sqlitePath(text, source)), isDefault: false };
  if (scheme && POSTGRES_SCHEMES.has(scheme)) return postgresLocation(text, source);
  // "c:" is a Windows drive, not a scheme; anything else with "://" is a URL we do not speak.
  if (scheme && scheme.length > 2 && text.slice(scheme.length).startsWith('//')) {
    throw new ConfigError(`${source}: unsupported state URL scheme ${scheme.slice(0, -1)}; ${STATE_URL_EXPECTATION}`);
  }
  return { kind: 'sqlite', path: resolvePath(text), isDefault: false };
}

/** sqlite:/abs, sqlite:///abs, sqlite:relative and sqlite:~/x all name a file. */
function sqlitePath(text: string, source: string): string {
  let rest = text.slice('sqlite:'.length);
  if (rest.startsWith('//')) rest = rest.slice(2);
  rest = decodeURIComponent(itemAt(rest.split('?'), 0));
  if (rest === '') throw new ConfigError(`${source}: a sqlite: URL needs a file path, e.g. sqlite:///var/lib/front-import/state.db`);
  return rest;
}

function postgresLocation(text: string, source: string): StoreLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${source}: not a valid postgres:// URL (${maskPostgresUrl(text)}); expected postgres://user[:password]@host[:port]/database`);
  }
  const schema = url.searchParams.get('schema') ?? DEFAULT_PG_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigError(`${source}: schema=${JSON.stringify(schema)} is not a plain lower-case PostgreSQL name (letters, digits, _)`);
  }
  return { kind: 'postgres', url: text, display: maskPostgresUrl(text), schema };
}

/** The URL with its password and secret parameters replaced by "***"; also safe on malformed input. */
export function maskPostgresUrl(text: string): string {
  let masked = text;
  const parts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(text);
  if (parts) {
    const [, scheme, authority, rest] = parts as unknown as [string, string, string, string];
    // The user info ends at the LAST "@": a password may contain one, un-encoded.
    const at = authority.lastIndexOf('@');
    const colon = authority.indexOf(':');
    if (at >= 0 && colon >= 0 && colon < at) masked = `${scheme}${authority.slice(0, colon)}:***${authority.slice(at)}${rest}`;
  }
  for (const name of SECRET_PARAMS) masked = masked.replace(new RegExp(`([?&]${name}=)[^&#]*`, 'gi'), '$1***');
  return masked;
}

/** The password in a postgres:// URL, decoded, for the output scrubber; null when there is none. */
export function postgresPassword(text: string): string | null {
  try {
    const url = new URL(text);
    const fromUrl = url.password ? decodeURIComponent(url.password) : null;
    return fromUrl ?? url.searchParams.get('password');
  } catch {
    return null;
  }
}

/** What `status` and messages print for a location. */
export function describeLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? location.path : location.display;
}
