// Scenario 6: bad input. Each mistake gets one line naming what to fix, exit 2 (3 for the token), no
// stack trace, and nothing is written: no state file, no NDJSON, nothing sent to Front or the destination.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAfterEach } from '../helpers/e2e.ts';
import { BAD_INPUTS, runBadInput } from '../helpers/bad-input.ts';

const keep = closeAfterEach();

const passed: number[] = [];
afterAll(() => {
  const count = (code: number) => passed.filter((c) => c === code).length;
  console.log(`bad-input: ${passed.length} of ${BAD_INPUTS.length} cases one clear line (${count(2)} exit 2, ${count(3)} exit 3), no stack trace, nothing written or sent`);
});

describe('bad input', () => {
  it.each(BAD_INPUTS)('$name: exit $code with one line naming it, nothing written or sent', async (input) => {
    const { s, r } = await runBadInput(input);
    keep(s);
    expect(r.code).toBe(input.code);
    expect(r.stdout).toBe('');
    // One line naming the problem; a usage error adds a suggestion and where the usage is.
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(input.message);
    for (const line of rest) expect(line).toMatch(/^(Did you mean .*\?|Run 'front-import.* --help' for usage\.)$/);
    expect(r.stderr).toMatch(/^front-import: /);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
    expect(existsSync(s.work.db)).toBe(false);
    expect(existsSync(join(s.work.dir, 'highlights.ndjson'))).toBe(false);
    expect(s.receiver.requests).toBe(0);
    expect(s.sandbox.control.requestLog()).toEqual([]);
    passed.push(input.code);
  });
});
