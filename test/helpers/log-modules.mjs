// `node --import ./log-modules.mjs <script>`: logs every module the process loads to the file named
// by MODULE_LOG, one URL a line: what the ESM loader resolves (module-log-hooks.mjs) and, at exit,
// what CommonJS required (the binary's bundle is CommonJS, which those hooks do not see on Node 20).

import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(new URL('./module-log-hooks.mjs', import.meta.url), { data: { file: process.env.MODULE_LOG } });

const required = createRequire(import.meta.url).cache;
process.on('exit', () => {
  appendFileSync(process.env.MODULE_LOG, Object.keys(required).map((path) => `${pathToFileURL(path).href}\n`).join(''));
});
