// One digest of what the generated Front types are made from (the spec and its mending), written
// into their header by scripts/gen-front-types.mjs and compared by test/front-api/generated.test.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function sourcesDigest() {
  const hash = createHash('sha256');
  for (const name of ['./front-core-api.json', './normalise.mjs']) hash.update(readFileSync(new URL(name, import.meta.url)));
  return hash.digest('hex');
}
