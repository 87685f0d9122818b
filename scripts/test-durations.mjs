// Rewrites test/setup/durations.json from the durations vitest kept for its last run
// (node_modules/.vite/vitest/*/results.json): run `npx vitest run`, then `npm run test:durations`.
// test/setup/longest-first.ts orders the test files by them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const cacheDir = new URL('../node_modules/.vite/vitest/', import.meta.url);
const durations = {};
for (const project of readdirSync(cacheDir)) {
  const { results } = JSON.parse(readFileSync(new URL(`${project}/results.json`, cacheDir), 'utf8'));
  for (const [key, { duration }] of results) {
    const file = key.slice(key.indexOf(':') + 1);
    // vitest keeps the results of files run once and removed since: not ours to order.
    if (existsSync(new URL(`../${file}`, import.meta.url))) durations[file] = Math.round(duration / 100) / 10;
  }
}
const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(new URL('../test/setup/durations.json', import.meta.url), `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`test/setup/durations.json: ${Object.keys(sorted).length} files`);
