// The order test files start in: the longest first by the committed durations, the same in every
// clone (vitest's own order needs the last run's durations, which a fresh clone does not have).

import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import durations from './durations.json' with { type: 'json' };
import { LongestFirst } from './longest-first.ts';

const ROOT = '/repo';
const spec = (path: string) => ({ moduleId: `${ROOT}/${path}` }) as TestSpecification;
const order = async (paths: string[]) => (await new LongestFirst({ config: { root: ROOT } } as Vitest).sort(paths.map(spec))).map((s) => s.moduleId.slice(ROOT.length + 1));

describe('test file order', () => {
  it('starts the longest files first, then the ones it has no duration for, by path, whatever order they are listed in', async () => {
    const known = Object.entries(durations as Record<string, number>).sort(([, a], [, b]) => b - a).map(([path]) => path);
    const [longest, second, third] = known;
    const listed = ['test/zz/new.test.ts', third!, 'test/aa/new.test.ts', longest!, second!];
    expect(await order(listed)).toEqual([longest, second, third, 'test/aa/new.test.ts', 'test/zz/new.test.ts']);
    expect(await order([...listed].reverse())).toEqual(await order(listed));
  });

  it('knows the long scenario files (npm run test:durations refreshes the list)', () => {
    const long = Object.entries(durations as Record<string, number>).filter(([, s]) => s >= 10).map(([path]) => path);
    expect(long).toEqual(expect.arrayContaining(['test/reliability/real-front.test.ts', 'test/reliability/crash-resume.test.ts', 'test/reliability/secrets.test.ts']));
  });
});
