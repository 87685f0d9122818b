// `${VAR}` in config string values, read from the environment, so a committed config file can
// name where a token comes from without containing it.

import { ConfigError } from '../errors.js';
import { keyPath } from './format-issues.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A copy of `data` with every `${VAR}` in string values replaced. An unset or empty variable is an
 * error naming the key and the variable (the message starts with the key path; the caller adds
 * the file).
 */
export function interpolateEnv(data: unknown, env: Record<string, string | undefined>): unknown {
  return walk(data, [], env);
}

function walk(value: unknown, path: (string | number)[], env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return substitute(value, path, env);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i], env));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key], env)]));
  }
  return value;
}

function substitute(text: string, path: (string | number)[], env: Record<string, string | undefined>): string {
  return text.replace(REFERENCE, (_, name: string) => {
    const replacement = env[name];
    if (replacement === undefined || replacement === '') {
      const key = keyPath(path);
      throw new ConfigError(`${key === '' ? '' : `${key}: `}refers to \${${name}}, but ${name} is not set or empty`);
    }
    return replacement;
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
