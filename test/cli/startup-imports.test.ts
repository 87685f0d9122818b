// What start-up loads (issue 22: `--version` and `--help` cost what `node` costs, `status` on an
// empty state twice that): no schema library, HTTP stack or database driver before the command
// that needs it. One child runs the built program (npm run build) with module hooks that log every
// module resolved; bench/startup.mjs measures the times.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../helpers/startup-imports.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fi-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Cumulative: what had been loaded by the end of each command line, run in this order. */
function loadedBy(): Record<string, string[]> {
  const child = spawnSync(process.execPath, [SCRIPT, join(dir, 'modules.log'), dir], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`startup-imports.mjs exited ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, string[]>;
}

const packages = (urls: string[]) => new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
const ours = (urls: string[]) => urls.filter((url) => url.includes('/dist/')).map((url) => url.slice(url.indexOf('/dist/') + 1));

describe('start-up', () => {
  const loaded = loadedBy();

  it('--version loads nothing but the launcher, main and the version', () => {
    expect(packages(loaded['--version']!)).toEqual(new Set());
    expect(ours(loaded['--version']!).sort()).toEqual(['dist/cli/main.js', 'dist/errors.js', 'dist/version.js']);
  });

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

  it('status loads neither the import pipeline nor the text extraction (their HTML parser, reply parser, language detector)', () => {
    for (const heavy of ['html-to-text', 'email-reply-parser', 'eld', 'libphonenumber-js']) expect(packages(loaded.status!), heavy).not.toContain(heavy);
    expect(ours(loaded.status!).filter((path) => /^dist\/(pipeline|highlight)\//.test(path))).toEqual([]);
  });
});
