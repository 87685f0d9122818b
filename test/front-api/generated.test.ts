// Front's types are generated from its spec (scripts/gen-front-types.mjs): they must say what the
// spec in the repo says, and the repo's spec must be the one the project was given.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourcesDigest } from '../../spec/digest.mjs';

const generated = readFileSync(new URL('../../src/front-api/core-api.d.ts', import.meta.url), 'utf8');
const shared = new URL('../../../shared/front-api/core-api.json', import.meta.url);

describe("Front's generated types", () => {
  it('were generated from the spec and its mending as they are now (else: npm run gen:front-types)', () => {
    const recorded = /^\/\/ sources-sha256: ([0-9a-f]{64})$/m.exec(generated)?.[1];
    expect(recorded, 'src/front-api/core-api.d.ts has no sources-sha256 line').toBeDefined();
    expect(recorded).toBe(sourcesDigest());
  });

  it('carry the mended nullability: an unassigned conversation and an inbound message', () => {
    expect(generated).toMatch(/assignee: components\["schemas"\]\["TeammateResponse"\] \| null;/);
    expect(generated).toMatch(/author\?: components\["schemas"\]\["TeammateResponse"\] \| null;/);
  });

  // The project's copy of Front's spec sits beside this repository in shared/ (as CI lays it out).
  it.skipIf(!existsSync(shared))("spec/front-core-api.json is the shared copy of Front's spec", () => {
    expect(readFileSync(new URL('../../spec/front-core-api.json', import.meta.url), 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
