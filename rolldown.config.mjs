// `npm run build`: two outputs from src/, both compiled by rolldown (the TypeScript transform vitest
// runs the tests through; `npm run typecheck`, which npm test runs, is where types are checked, so the
// build does not check them a second time).
// - dist/<path>.js: every module of src/ as a module of its own, packages left to Node. The bench and
//   the start-up test import these.
// - dist/bundle/: the binary. cli/main.ts and everything it imports, rolled into CommonJS chunks split where
//   the program imports lazily (a command, the pipeline, the sandbox), so a command still loads only
//   what it uses, and grouped by what a command line loads together (CHUNK_GROUPS). Node then reads a dozen files instead of some 500, which is most of a short
//   command's start-up: `connect --check` spends about 0.3 CPU-seconds instead of 0.55, and the test
//   suite starts the binary 200 times.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

/**
 * Chunks by what a command line loads, not by which lazy imports share a module: left to itself
 * rolldown cut `status` into 36 chunks, and each file costs Node a resolve, a read and a compile
 * (about 35 ms of `status`'s start-up on a shared 2-CPU machine). So three chunks hold what loads together:
 * - start: what main needs before the program (the error types), with the version beside them.
 * - program: commander and the program definition, for `--help` and every command line.
 * - command-core: what every command run loads (the IO object, the context, the config without its
 *   parsers and schema) and `status`, the command cron runs most: the static imports reachable from
 *   COMMAND_CORE_ROOTS, found once the module graph is known. What they import lazily (the schema,
 *   the config parsers, the store's drivers, the pipeline) stays in chunks of its own.
 */
const COMMAND_CORE_ROOTS = ['cli/run-command.ts', 'terminal/io.ts', 'context/index.ts', 'config/load.ts', 'config/resolve.ts', 'commands/status/index.ts', 'store/open-store.ts'];
const commandCore = new Set();
const commandCoreModules = {
  name: 'command-core-modules',
  buildEnd() {
    const src = resolve('src');
    const todo = COMMAND_CORE_ROOTS.map((file) => join(src, file));
    while (todo.length > 0) {
      const id = todo.pop();
      if (commandCore.has(id) || !id.startsWith(`${src}/`)) continue;
      commandCore.add(id);
      todo.push(...(this.getModuleInfo(id)?.importedIds ?? []));
    }
  },
};
const CHUNK_GROUPS = [
  { name: 'start', test: /[\\/]src[\\/](errors|version|package-root)\.ts$/, priority: 3 },
  {
    name: 'program',
    test: /[\\/]node_modules[\\/]commander[\\/]|[\\/]src[\\/](cli[\\/](run-cli|program|help-text|usage-errors)|commands[\\/](registry|help|command-spec)|shared[\\/]error-message)\.ts$/,
    priority: 2,
  },
  { name: 'command-core', test: (id) => commandCore.has(id), priority: 1 },
];

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
    // The replay's conversion worker is an entry of its own: a worker thread starts from a file.
    input: { main: 'src/cli/main.ts', 'convert-worker': 'src/pipeline/deliver/convert-worker.ts' },
    platform: 'node',
    external: (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`)),
    plugins: [commanderChildProcessOnUse, commandCoreModules],
    // The context imports the store and OAuth entries lazily for the commands outside the core;
    // inside it they are there already, which is what rolldown's warning says.
    onLog: (level, log, handler) => {
      if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT' && log.message.includes(' is dynamically imported by src/context/index.ts ')) return;
      handler(level, log);
    },
    // CommonJS: Node loads it without its ES module loader, whose resolving, module jobs and facades
    // for built-in modules were about 7 ms of `status`'s 43 on a machine where `node -e 0` takes 18
    // (1.97x node instead of 2.34x). Packages left out (EXTERNAL) are still loaded by import() where
    // they are ES modules. .cjs because the package's type is module (and package-root.ts finds the
    // package by the nearest package.json, so there is none in dist/bundle/ to say otherwise).
    output: { dir: 'dist/bundle', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', cleanDir: true, codeSplitting: { groups: CHUNK_GROUPS } },
  },
];
