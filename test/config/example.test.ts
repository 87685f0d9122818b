import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fileConfigSchema } from '../../src/config/schema.ts';
import { makeTree, type Tree } from './tree.ts';

const example = readFileSync(fileURLToPath(new URL('../../.frontsyncrc.example', import.meta.url)), 'utf8');

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.remove());

describe('.frontsyncrc.example', () => {
  it('is a valid config whose shown values are the defaults', async () => {
    const cwd = t.dir('home/project');
    t.write('home/project/.frontsyncrc', example);
    const fromExample = await t.load({ cwd });
    const defaults = await t.load({ cwd: t.dir('home/elsewhere') });
    for (const section of ['front', 'store', 'highlights', 'sync', 'listen'] as const) {
      expect(fromExample[section], section).toEqual(defaults[section]);
    }
    expect(fromExample.subscriptions.map((s) => s.name)).toEqual(['default']);
    expect(fromExample.subscriptions[0]!.scope).toEqual(defaults.subscriptions[0]!.scope);
    expect(fromExample.subscriptions[0]!.destination).toEqual(defaults.subscriptions[0]!.destination);
    expect(fromExample.subscriptions[0]!.routing.labels).toEqual([]);
  });

  it('the commented routing rules work once uncommented: one per kind', async () => {
    const after = example.slice(example.indexOf('  # labels:')).split('\n');
    const block = after
      .slice(0, after.findIndex((line) => !line.startsWith('  #')))
      .map((line) => line.replace(/^ {2}# /, '  '))
      .join('\n');
    t.write('home/.frontsyncrc', `routing:\n${block}\n`);
    const config = await t.load({ cwd: t.home });
    expect(config.subscriptions[0]!.routing.labels.map((rule) => Object.keys(rule.when)[0]).sort()).toEqual(['customField', 'inbox', 'language', 'status', 'tag']);
  });

  it('shows every key the schema knows, each with a comment', () => {
    const lines = example.split('\n');
    const keys = schemaKeys(fileConfigSchema);
    expect(keys).toContain('ruleSecretHeader');
    for (const key of keys) {
      const at = lines.findIndex((line) => new RegExp(`(^[#\\s]*(- )?|\\{ )${key}:`).test(line));
      expect(at, key).toBeGreaterThan(0);
      const commented = /^\s*#/.test(lines[at - 1]!) || / #\s/.test(lines[at]!.replace(/^\s*#/, ''));
      expect(commented, key).toBe(true);
    }
  });

  it('the commented http destination works once uncommented', async () => {
    const after = example.slice(example.indexOf('# Example: POST')).split('\n').slice(1);
    const block = after
      .slice(0, after.findIndex((line) => !line.startsWith('#')))
      .map((line) => line.slice(2))
      .join('\n');
    t.write('home/.frontsyncrc', block);
    const config = await t.load({ cwd: t.home, env: { NEXT_AI_TOKEN: 'tok', NEXT_AI_SIGNING_SECRET: 'sig' } });
    expect(config.subscriptions[0]!.destination).toEqual({
      type: 'http',
      url: 'https://next.example.com/api/highlights',
      token: 'tok',
      batchSize: 100,
      timeoutMs: 15000,
      retries: 5,
      retryBaseMs: 1000,
      signingSecret: 'sig',
    });
  });
});

/** Every key name in the schema, nested ones included: read from zod's definitions (objects, unions, lists, optional and nullable wrappers). */
function schemaKeys(schema: unknown): string[] {
  const def = (schema as { _zod: { def: { shape?: Record<string, unknown>; options?: unknown[]; element?: unknown; innerType?: unknown } } })._zod.def;
  if (def.shape) return Object.entries(def.shape).flatMap(([key, child]) => [key, ...schemaKeys(child)]);
  if (def.options) return [...new Set(def.options.flatMap(schemaKeys))];
  if (def.element) return schemaKeys(def.element);
  if (def.innerType) return schemaKeys(def.innerType);
  return [];
}
