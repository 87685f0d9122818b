// Test files start longest first (the usual greedy for finishing a set of jobs on a few workers
// soonest), so a long scenario file never starts last and leaves one worker running alone at the
// end. vitest orders by the durations of the last run, which it keeps under node_modules/.vite; a
// fresh clone (CI) has none, and vitest then keeps the order the file system lists the files in,
// which differs from clone to clone: 169 s instead of 152 on the 2-CPU machine. The durations come
// from durations.json instead, committed, so every clone runs in the same order; `npm run
// test:durations` rewrites it after a full run, and a file missing from it counts as short.

import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import durations from './durations.json' with { type: 'json' };

const seconds: Record<string, number> = durations;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = (spec: TestSpecification) => relative(root, spec.moduleId);
    const length = (spec: TestSpecification) => seconds[key(spec)] ?? 0;
    return [...files].sort((a, b) => length(b) - length(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
