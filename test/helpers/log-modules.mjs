// `node --import ./log-modules.mjs <script>`: logs every module the ESM loader resolves to the file
// named by MODULE_LOG, one URL a line (module-log-hooks.mjs), for a child that runs the real binary.

import { register } from 'node:module';

register(new URL('./module-log-hooks.mjs', import.meta.url), { data: { file: process.env.MODULE_LOG } });
