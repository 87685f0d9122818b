// cosmiconfig loaders whose errors are one line and never quote the file's text: JSON.parse and
// YAML parsers both put a snippet of the input into their messages, and the snippet may be the line
// holding a token. Every loader first checks the file may be trusted (trust.ts: its owner, its
// mode, its size): before a .js file runs, before a YAML file is expanded.
//
// YAML is read with the `yaml` library and an alias limit: cosmiconfig's own loader (js-yaml) has
// none, and ten lines of nested aliases expand to gigabytes ("billion laughs").

import { basename } from 'node:path';
import { defaultLoaders, type Loader, type Loaders } from 'cosmiconfig';
import { parse as parseYaml, YAMLError } from 'yaml';
import { ConfigError } from '../errors.js';
import { errorMessage } from '../shared/error-message.js';
import { checkConfigFile } from './trust.js';
import { itemAt } from '../shared/item-at.js';

/** Aliases a config may expand; real configs use a handful. */
export const MAX_YAML_ALIASES = 100;

export const loadJson: Loader = (filepath, content) => {
  // A package.json is checked only once it holds a "frontsync" key (find-config.ts): most are
  // someone's project file, JSON runs no code, and refusing every foreign one would be noise.
  if (basename(filepath) !== 'package.json') checkConfigFile(filepath);
  try {
    return JSON.parse(content) as unknown;
  } catch (err) {
    throw new ConfigError(`invalid JSON in ${filepath}: ${jsonProblem(errorMessage(err), content)}`);
  }
};

export const loadYaml: Loader = (filepath, content) => {
  checkConfigFile(filepath);
  try {
    return parseYaml(content, { maxAliasCount: MAX_YAML_ALIASES, prettyErrors: false }) as unknown;
  } catch (err) {
    throw new ConfigError(`invalid YAML in ${filepath}: ${yamlProblem(err, content)}`);
  }
};

/** JS config files are code: loading one runs it, with this process's rights and environment. */
export const loadJs: Loader = async (filepath, content) => {
  checkConfigFile(filepath);
  try {
    return await defaultLoaders['.js'](filepath, content);
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
  if (positioned) return `${lowerFirst(itemAt(positioned, 1))} (line ${lineAt(content, Number(positioned[2]))})`;
  if (message.startsWith('Unexpected end of JSON input')) return `unexpected end of input (line ${lineAt(content, content.length)})`;
  // V8 reports a misplaced token without a position, quoting the input instead.
  return message.startsWith('Unexpected token') ? 'unexpected character' : 'not valid JSON';
}

/** The parser's reason and line, without the snippet of input its message may carry. */
function yamlProblem(err: unknown, content: string): string {
  if (err instanceof YAMLError) {
    const reason = lowerFirst(itemAt(err.message.split('\n'), 0).replace(/ at line \d+.*$/, '').replace(/:$/, ''));
    return `${reason} (line ${lineAt(content, err.pos[0])})`;
  }
  // Thrown while building the value: the alias limit ("Excessive alias count …").
  if (/alias/i.test(errorMessage(err))) {
    return `more than ${MAX_YAML_ALIASES} aliases to expand (an alias bomb?); write the values out instead of nesting aliases`;
  }
  return 'not valid YAML';
}

function lineAt(content: string, position: number): number {
  return content.slice(0, position).split('\n').length;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
