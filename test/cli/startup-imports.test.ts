// What start-up loads (issue 22: `--version` and `--help` cost what `node` costs, `status` on an
// empty state twice that): no schema library, HTTP stack or database driver before the command
// that needs it. One child runs the built program (npm run build) with module hooks that log every
// module resolved; bench/startup.mjs measures the times. The binary runs rolldown's bundle of that
// program: other children run it, and the chunks they load are read for the modules inside them.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startupEnv } from '../helpers/startup-env.mjs';

const SCRIPT = fileURLToPath(new URL('../helpers/startup-imports.mjs', import.meta.url));
const LOG_MODULES = fileURLToPath(new URL('../helpers/log-modules.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/front-import', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fi-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Cumulative: what had been loaded by the end of each command line, run in this order. */
function loadedBy(): Record<string, string[]> {
  const child = spawnSync(process.execPath, [SCRIPT, join(dir, 'modules.log'), dir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`startup-imports.mjs exited ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, string[]>;
}

/** The files the binary made Node load for one command line, from an empty work dir (or `cwd`, inside it). */
function binaryLoads(args: string[], cwd = dir, workEnv = startupEnv(dir)): string[] {
  const log = join(dir, `bundle-${args.join('-')}-${cwd === dir ? 'bare' : cwd.slice(cwd.lastIndexOf('/') + 1)}.log`);
  const env = { PATH: process.env.PATH, ...workEnv, MODULE_LOG: log };
  const child = spawnSync(process.execPath, ['--import', LOG_MODULES, BIN, ...args], { cwd, env, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`front-import ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter((url) => url.startsWith('file:')))].map((url) => fileURLToPath(url));
}

/**
 * The modules rolled into the chunks a command line loaded: rolldown heads each with a comment naming
 * its path, relative to the working directory (`../main/node_modules/...` where node_modules is a link).
 */
function bundledModules(files: string[]): string[] {
  return files.filter((file) => file.includes('/dist/bundle/')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\/\/ (?:\.\.\/[^/\s]+\/)*((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]!));
}

/** A CommonJS file to preload with `-r`, holding `code`. */
function writeProbe(code: string): string {
  const file = join(dir, 'probe.cjs');
  writeFileSync(file, code);
  return file;
}

const packages = (urls: string[]) => new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
const ours = (urls: string[]) => urls.filter((url) => url.includes('/dist/')).map((url) => url.slice(url.indexOf('/dist/') + 1));

describe('start-up', () => {
  const loaded = loadedBy();

  it("--help loads commander and no command; a command's --help that command's flags only: no zod, got, SQLite, PostgreSQL, config search, colour or spinner", () => {
    for (const args of ['--help', 'backfill --help']) expect([...packages(loaded[args]!)], args).toEqual(['commander']);
    const specs = (args: string) => ours(loaded[args]!).filter((path) => path.startsWith('dist/commands/') && path.endsWith('/command.js'));
    expect(specs('--help')).toEqual([]);
    expect(specs('backfill --help')).toEqual(['dist/commands/backfill/command.js']);
    // No command ran: none of their modules, and not the context either.
    expect(ours(loaded['backfill --help']!).filter((path) => /\/index\.js$/.test(path))).toEqual([]);
  });

  it('status on an empty state, settings from the environment: no config loader (no file to load), zod, got or database driver', () => {
    const used = packages(loaded.status!);
    for (const heavy of ['zod', 'got', 'better-sqlite3', 'pg', 'ora', 'cosmiconfig', 'yaml']) expect(used, heavy).not.toContain(heavy);
    expect(ours(loaded.status!)).toContain('dist/commands/status/index.js');
  });

  it('status on an empty state loads neither node:http nor node:crypto (each a few ms of start-up): no header check, token vault, digest or temp-file name needs them', () => {
    for (const builtin of ['node:http', 'node:https', 'node:crypto']) expect(loaded.status, builtin).not.toContain(builtin);
  });

  it('status loads neither the import pipeline nor the text extraction (their HTML parser, reply parser, language detector)', () => {
    for (const heavy of ['html-to-text', 'email-reply-parser', 'eld', 'libphonenumber-js']) expect(packages(loaded.status!), heavy).not.toContain(heavy);
    expect(ours(loaded.status!).filter((path) => /^dist\/(pipeline|highlight)\//.test(path))).toEqual([]);
  });

  it('the PostgreSQL driver loads without Node\'s fetch (undici, about 30 ms), and leaves no `navigator` behind where Node has none', () => {
    const driver = fileURLToPath(new URL('../../dist/store/pg/driver.js', import.meta.url));
    const probe = `const before = typeof navigator; const { pgDriver } = await import(${JSON.stringify(driver)});
      console.log(JSON.stringify({ client: typeof pgDriver.Client, undici: process.moduleLoadList.some((m) => m.includes('undici')), before, after: typeof navigator }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const seen = JSON.parse(child.stdout) as { client: string; undici: boolean; before: string; after: string };
    expect(seen).toEqual({ client: 'function', undici: false, before: seen.before, after: seen.before });
  });

  describe('the binary runs the bundle, and the bundle keeps those splits', () => {
    const inPackage = (files: string[]) => files.filter((file) => !file.includes('/node_modules/'));

    it('--version, and --help where the output is not a terminal: the launcher alone, no module of dist/ and no package', () => {
      for (const args of [['--version'], ['--help']]) {
        const files = binaryLoads(args);
        expect(files.filter((file) => file.includes('/dist/') || file.includes('/node_modules/')), args.join(' ')).toEqual([]);
      }
    });

    it('status on an empty state: no chunk holding zod, got, a config loader, the pipeline or the text extraction', () => {
      const files = binaryLoads(['status']);
      expect(inPackage(files).every((file) => file.endsWith('/bin/front-import') || file.includes('/dist/bundle/')), files.join('\n')).toBe(true);
      const modules = bundledModules(files);
      expect(modules).toContain('src/commands/status/index.ts');
      const heavy = modules.filter((path) => /^node_modules\/(zod|got|cosmiconfig|yaml|html-to-text|email-reply-parser|ora)\/|^src\/(pipeline|highlight)\//.test(path));
      expect(heavy).toEqual([]);
      expect(files.filter((file) => /\/node_modules\/(better-sqlite3|pg|eld)\//.test(file))).toEqual([]);
    });

    it("status on an empty state, output to a file as cron has it: of Node's own modules only the output streams beyond what `node -e 0` loads; no ES module loader, node:v8, stdin or file streams", () => {
      const internals = (args: string[]) => {
        const out = join(dir, `internals-${args.length}.json`);
        const probe = `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));`;
        const env = { PATH: process.env.PATH, ...startupEnv(dir) };
        const child = spawnSync(process.execPath, ['-r', writeProbe(probe), ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
        expect(child.status, child.stderr).toBe(0);
        return new Set(JSON.parse(readFileSync(out, 'utf8')) as string[]);
      };
      const bare = internals(['-e', '0']);
      const added = [...internals([BIN, 'status'])].filter((m) => !bare.has(m) && m.startsWith('NativeModule '));
      expect(added).toContain('NativeModule internal/fs/sync_write_stream');
      const unwanted = added.filter((m) => /esm\/translators|esm\/module_job| v8$|heap_utils|readline|internal\/fs\/(promises|streams)$/.test(m));
      expect(unwanted).toEqual([]);
    });

    it('status on an existing SQLite state: the store and its driver, still not the text extraction a stored Highlight never needs to be read', () => {
      const existing = join(dir, 'existing');
      mkdirSync(existing, { recursive: true });
      const env = { PATH: process.env.PATH, ...startupEnv(existing) };
      // sync --dry-run would fetch; `state export` of an empty file makes the state and reads it.
      const made = spawnSync(process.execPath, [BIN, 'state', 'export', join(existing, 'empty.jsonl')], { cwd: existing, env, encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const files = binaryLoads(['status'], existing, startupEnv(existing));
      expect(files.some((file) => /\/node_modules\/better-sqlite3\//.test(file))).toBe(true);
      const heavy = bundledModules(files).filter((path) => /^node_modules\/(html-to-text|htmlparser2|email-reply-parser|got|ora)\/|^src\/pipeline\/|^src\/highlight\/(?!(types|source-url)\.ts$)/.test(path));
      expect(heavy).toEqual([]);
    });

    it("status with a YAML config file: the config stack without what it never runs (cosmiconfig's own parsers, zod's classic API), and still no pipeline (the schema takes the text sources from highlight/types.ts)", () => {
      const project = join(dir, 'project');
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, '.frontsyncrc'), `destination:\n  type: ndjson\n  path: ${project}/highlights.ndjson\n`, { mode: 0o600 });
      const modules = bundledModules(binaryLoads(['status'], project));
      for (const used of ['node_modules/cosmiconfig/', 'node_modules/yaml/', 'node_modules/zod/v4/mini/', 'src/config/schema.ts']) expect(modules.some((path) => path.startsWith(used)), used).toBe(true);
      const unused = modules.filter((path) => /^node_modules\/(js-yaml|parse-json|@babel|zod\/v4\/classic|got|html-to-text|email-reply-parser|ora)\/|^src\/pipeline\/|^src\/highlight\/(?!types\.ts$)/.test(path));
      expect(unused).toEqual([]);
    });
  });
});
