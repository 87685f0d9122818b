// cosmiconfig loaders whose errors are one line and never quote the file's text: JSON.parse and
// js-yaml both put a snippet of the input into their messages, and the snippet may be the line
// holding a token.

import { defaultLoaders, type Loader, type Loaders } from 'cosmiconfig';
import { ConfigError } from '../errors.js';
import { errorMessage } from '../shared/error-message.js';

export const loadJson: Loader = (filepath, content) => {
  try {
    return JSON.parse(content) as unknown;
  } catch (err) {
    throw new ConfigError(`invalid JSON in ${filepath}: ${jsonProblem(errorMessage(err), content)}`);
  }
};

export const loadYaml: Loader = async (filepath, content) => {
  try {
    return await defaultLoaders['.yaml']!(filepath, content);
  } catch (err) {
    throw new ConfigError(`invalid YAML in ${filepath}: ${yamlProblem(err)}`);
  }
};

/** JS config files are code: loading one runs it, with this process's rights and environment. */
export const loadJs: Loader = async (filepath, content) => {
  try {
    return await defaultLoaders['.js']!(filepath, content);
  } catch (err) {
    throw new ConfigError(`cannot load ${filepath}: ${errorMessage(err).split('\n')[0]}`);
  }
};

export const configLoaders: Loaders = {
  '.json': loadJson,
  '.yaml': loadYaml,
  '.yml': loadYaml,
  noExt: loadYaml,
  '.js': loadJs,
  '.cjs': loadJs,
  '.mjs': loadJs,
};

/** "<reason> (line N)" from a JSON.parse message, dropping any quoted input. */
export function jsonProblem(message: string, content: string): string {
  const positioned = /^(.*?) in JSON at position (\d+)/.exec(message);
  if (positioned) return `${lowerFirst(positioned[1]!)} (line ${lineAt(content, Number(positioned[2]))})`;
  if (message.startsWith('Unexpected end of JSON input')) return `unexpected end of input (line ${lineAt(content, content.length)})`;
  // V8 reports a misplaced token without a position, quoting the input instead.
  return message.startsWith('Unexpected token') ? 'unexpected character' : 'not valid JSON';
}

function yamlProblem(err: unknown): string {
  const { reason, mark } = (err ?? {}) as { reason?: unknown; mark?: { line?: unknown } };
  if (typeof reason !== 'string') return 'not valid YAML';
  return typeof mark?.line === 'number' ? `${reason} (line ${mark.line + 1})` : reason;
}

function lineAt(content: string, position: number): number {
  return content.slice(0, position).split('\n').length;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
