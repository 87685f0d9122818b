// Issue 21, data already at rest: a state filled with redaction off holds the sandbox's planted
// personal data (stored texts, outbox payloads of refused items, free pages). The first run with
// redaction on rewrites it all before it fetches, re-sends each Highlight once redacted, and leaves
// none of the planted values anywhere in the state file, its WAL or its shared-memory file. The run
// with redaction on is the real binary (the file's bytes after its process ended are the point);
// the runs around it are in-process. `state redact` then does it again on demand, changing nothing.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLANTED_PII } from '../../src/sandbox/extras.ts';
import { closeAfterEach, importable, scenario } from '../helpers/e2e.ts';

const keep = closeAfterEach();
const PII_KEY = 'e2e-pii-key-0123456789abcdef';
const UNPACED = { FRONT_IMPORT_NO_PACING: '1' };
const REDACTION = ['highlights:', '  redact: [email, phone, card, iban, ip]', '  pseudonymize: true', ''].join('\n');

/** Every planted value found in the state's files (the database, its WAL and shared-memory file). */
function plantedInState(db: string): string[] {
  const bytes = ['', '-wal', '-shm'].map((suffix) => readBytes(db + suffix)).join('\n');
  return PLANTED_PII.filter((value) => bytes.includes(value));
}

function readBytes(path: string): string {
  try {
    return readFileSync(path).toString('utf8');
  } catch {
    return '';
  }
}

describe('state redaction through the binary', () => {
  it('turning redaction on leaves no planted value in the state file and re-sends each Highlight once', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 12, seed: 11, rateLimit: false, pii: true } }));
    const ids = importable(s.sandbox.control.truth().conversations).map((c) => `front:${c.id}`);
    // One item the receiver refuses for good: a refused item keeps its Highlight in the state.
    const refused = ids[0]!;
    s.receiver.behave({ poison: [refused] });

    const off = await s.cli(['backfill', '--since', '8d'], UNPACED);
    expect(off.code, off.stderr).toBe(7);
    // What the test looks for is there to be found: the state holds planted values in the clear.
    expect(plantedInState(s.work.db).length).toBeGreaterThan(3);
    const before = new Map(s.receiver.accepted().map((a) => [a.id, a.version]));
    expect([...before.keys()].sort()).toEqual(ids.filter((id) => id !== refused).sort());

    s.work.config(`${readFileSync(`${s.work.dir}/.frontsyncrc`, 'utf8')}\n${REDACTION}`);
    const accepted = s.receiver.accepted().length;
    const pending = await s.cli(['status'], { FRONT_IMPORT_PII_KEY: PII_KEY });
    expect(pending.stdout).toMatch(/redaction +on; the state may still hold data stored before these settings/);
    const on = await s.binary(['sync'], { ...UNPACED, FRONT_IMPORT_PII_KEY: PII_KEY });
    expect(on.code, on.stderr).toBe(7);
    expect(on.stderr + on.stdout).toContain(`state redaction: ${ids.length} stored conversation(s) and 0 other row(s) rewritten, ${ids.length} Highlight(s) queued again redacted; file rebuilt`);
    // Each delivered Highlight once more, at a new (redacted) version; the refused one refused again.
    const resent = s.receiver.accepted().slice(accepted);
    expect(resent.map((a) => a.id).sort()).toEqual([...before.keys()].sort());
    for (const a of resent) expect(a.version).not.toBe(before.get(a.id));
    expect(plantedInState(s.work.db)).toEqual([]);
    expect((await s.cli(['status'], { FRONT_IMPORT_PII_KEY: PII_KEY })).stdout).toMatch(/redaction +on; the state was redacted with these settings at /);

    // Redacted once, and as an import would: importing the whole window again with redaction on
    // rewrites nothing and gives every conversation the version the rewrite gave it, so sends nothing.
    const again = await s.cli(['backfill', '--since', '8d'], { ...UNPACED, FRONT_IMPORT_PII_KEY: PII_KEY });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr + again.stdout).not.toMatch(/state redaction/);
    expect(s.receiver.accepted().length).toBe(accepted + resent.length);
    expect(plantedInState(s.work.db)).toEqual([]);

    // On demand, again: a second pass changes no version, so nothing is sent.
    const now = await s.cli(['state', 'redact', '--json'], { FRONT_IMPORT_PII_KEY: PII_KEY });
    expect(now.code, now.stderr).toBe(0);
    expect(JSON.parse(now.stdout)).toMatchObject({ command: 'state redact', ok: true, conversations: ids.length, requeued: 0 });
    expect(plantedInState(s.work.db)).toEqual([]);
  }, 60_000);
});
