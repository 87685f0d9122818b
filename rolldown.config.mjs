// The binary's bundle (npm run build, after tsc): dist/cli/main.js and everything it imports,
// rolled into a few chunks in dist/bundle/, split where the program imports lazily (a command, the
// pipeline, the sandbox), so a command still loads only what it uses. Node then reads a dozen files
// instead of some 500, which is most of a short command's start-up: `connect --check` spends about
// 0.3 CPU-seconds instead of 0.55, and the test suite starts the binary 200 times.

/**
 * Left to Node: native addons, and packages that find their own files at run time (open's xdg-open
 * script, eld's and libphonenumber's data, cosmiconfig's optional TypeScript loader).
 */
const EXTERNAL = ['better-sqlite3', '@napi-rs/keyring', 'pg', 'pg-native', 'open', 'eld', 'libphonenumber-js', 'typescript'];

export default {
  input: { main: 'dist/cli/main.js' },
  platform: 'node',
  external: (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`)),
  output: { dir: 'dist/bundle', format: 'esm', cleanDir: true },
};
