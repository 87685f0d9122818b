// Turns zod's findings about a config file into what a user reads, one line per problem:
// "<key path>: expected ...; got ...". Values of secret keys are described by type only.

import type { z } from 'zod';
import { didYouMean } from '../shared/did-you-mean.js';
import { quote } from './quote.js';
import { isSecretKey } from './secret-keys.js';
import { itemAt } from '../shared/item-at.js';

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/** One line for one problem; for several, a count and one indented line each (all of them: each is a fix to make). */
export function formatIssues(issues: readonly Issue[], data: unknown): string {
  if (issues.length === 0) return 'invalid configuration';
  if (issues.length === 1) return formatIssue(itemAt(issues, 0), data);
  return `${issues.length} problems:\n${issues.map((issue) => `  ${formatIssue(issue, data)}`).join('\n')}`;
}

function formatIssue(issue: Issue, data: unknown): string {
  const path = keyPath(issue.path);
  const value = valueAt(data, issue.path);
  const prefix = path === '' ? '' : `${path}: `;
  const got = shownValue(path, value);
  switch (issue.code) {
    case 'unrecognized_keys':
      return prefix + issue.message;
    case 'invalid_value': {
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.map(String), 1) : null;
      return `${prefix}expected one of ${issue.values.map(String).join(', ')}; got ${got}${hint ? ` (${hint})` : ''}`;
    }
    case 'invalid_union': {
      const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : null;
      if (options === null) return `${prefix}${issue.message}`;
      return value === undefined
        ? `${prefix}missing (expected one of ${options.join(', ')})`
        : `${prefix}expected one of ${options.join(', ')}; got ${got}`;
    }
    case 'invalid_type':
      if (value === undefined) return `${prefix}missing (expected ${typeNoun(issue.expected)})`;
      if (issue.expected === 'int') return `${prefix}${issue.message}; got ${got}`;
      return `${prefix}expected ${typeNoun(issue.expected)}; got ${typeName(value)}`;
    default:
      return `${prefix}${issue.message}; got ${got}`;
  }
}

export function keyPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out === '' ? String(segment) : `${out}.${String(segment)}`;
  }, '');
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function shownValue(path: string, value: unknown): string {
  if (isSecretKey(path)) {
    if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string (value hidden)';
    return typeName(value);
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeName(value) === 'object') {
    const keys = Object.keys(value as object);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}`;
  }
  return typeName(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'date';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function typeNoun(expected: string): string {
  const nouns: Record<string, string> = {
    object: 'an object',
    array: 'a list',
    string: 'a string',
    number: 'a number',
  };
  return nouns[expected] ?? expected;
}
