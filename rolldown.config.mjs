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
 * Left to Node in the bundle: native addons, and packages that find their own files at run time
 * (open's xdg-open script, eld's and libphonenumber's data, cosmiconfig's optional TypeScript loader).
 */
const EXTERNAL = ['better-sqlite3', '@napi-rs/keyring', 'pg', 'pg-native', 'open', 'eld', 'libphonenumber-js', 'typescript'];

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
    output: { dir: 'dist/bundle', format: 'esm', cleanDir: true },
  },
];
