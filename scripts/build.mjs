// `npm run build`: rolldown's two outputs (rolldown.config.mjs), then eld's data, packed (scripts/build-eld-data.mjs), and the program's help for the launcher (scripts/build-help.mjs). Through
// rolldown's API rather than its CLI, which prints a line per file written: some 700 lines in every
// `npm install` and `npm test` log, where one line says the same.
import { build } from 'rolldown';
import configs from '../rolldown.config.mjs';

const started = Date.now();
for (const config of configs) await build({ ...config, logLevel: 'warn' });
await import('./build-eld-data.mjs');
await import('./build-help.mjs');
console.log(`build: dist/ (a module per source file) and dist/bundle/ (the binary) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
