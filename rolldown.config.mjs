// `npm run build`: two outputs from src/, both compiled by rolldown (the TypeScript transform vitest
// runs the tests through; `npm run typecheck`, which npm test runs, is where types are checked, so the
// build does not check them a second time).
// - dist/<path>.js: every module of src/ as a module of its own, packages left to Node. The bench and
//   the start-up test import these.
// - dist/bundle/: the binary. cli/main.ts and everything it imports, rolled into chunks split where
//   the program imports lazily (a command, the pipeline, the sandbox), so a command still loads only
//   what it uses. Node then reads a dozen files instead of some 500, which is most of a short
//   command's start-up: `connect --check` spends about 0.3 CPU-seconds instead of 0.55, and the test
//   suite starts the binary 200 times.

import { readdirSync } from 'node:fs';

/**
 * Left to Node in the bundle: native addons, packages that find their own files at run time
 * (open's xdg-open script, eld's and libphonenumber's data, cosmiconfig's optional TypeScript loader),
 * and the parsers cosmiconfig requires inside its default JSON and YAML loaders, which
 * src/config/loaders.ts replaces: never run, yet bundled they were 140 kB (js-yaml, parse-json and
 * @babel/code-frame) for every run with a config file to compile.
 */
const EXTERNAL = ['better-sqlite3', '@napi-rs/keyring', 'pg', 'pg-native', 'open', 'eld', 'libphonenumber-js', 'typescript', 'js-yaml', 'parse-json'];

/**
 * commander requires node:child_process as it loads, for git-style executable subcommands (a
 * `front-import-<name>` file spawned as a command), which front-import has none of; that require
 * also loads net and dgram, about 6 ms of every start-up (`--help` included). In the bundle it is
 * required when commander would spawn, never otherwise. The build fails if commander changes that line.
 */
const commanderChildProcessOnUse = {
  name: 'commander-child-process-on-use',
  transform: {
    filter: { id: /[\\/]commander[\\/]lib[\\/]command\.js$/ },
    handler(code, id) {
      const eager = "const childProcess = require('node:child_process');";
      if (!code.includes(eager)) this.error(`${id} no longer holds \`${eager}\`: review commanderChildProcessOnUse in rolldown.config.mjs`);
      return code.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
    },
  },
};

const isPackage = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

export default [
  {
    input: readdirSync('src', { recursive: true })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => `src/${file}`),
    platform: 'node',
    external: isPackage,
    output: { dir: 'dist', format: 'esm', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js', sourcemap: true },
  },
  {
    input: { main: 'src/cli/main.ts' },
    platform: 'node',
    external: (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`)),
    plugins: [commanderChildProcessOnUse],
    output: { dir: 'dist/bundle', format: 'esm', cleanDir: true },
  },
];
