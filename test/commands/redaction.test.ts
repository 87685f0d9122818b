// Redaction and the schema-3 scope checks in-process: the run's redaction counts by kind match the
// markers delivered, no planted personal data reaches the destination or the state file, the
// pseudonyms' key is required, and unknown teams or custom fields stop a run before it fetches.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackfill } from '../../src/commands/backfill/index.ts';
import { describeSettings } from '../../src/config/origins.ts';
import { resolveConfig, type ResolveInput } from '../../src/config/resolve.ts';
import { readEnvSettings } from '../../src/config/env.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';
import { PLANTED_PII, PLANTED_TRAPS } from '../../src/sandbox/extras.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxHandle } from '../../src/sandbox/types.ts';
import { highlightErrors } from '../helpers/highlight-contract.ts';
import { fakeContext, type FakeContext } from '../helpers/fake-context.ts';
import { fixedClock, type FakeClock } from '../helpers/in-process.ts';

const open: Array<FakeContext | SandboxHandle> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const KEY = 'test-pii-key-0123456789abcdef';
const REDACT = 'highlights:\n  redact: [email, phone, card, iban, ip]\n  pseudonymize: true\n';

async function world(): Promise<{ sandbox: SandboxHandle; clock: FakeClock }> {
  const clock = fixedClock();
  const sandbox = await startSandbox({ conversations: 60, seed: 21, now: clock, rateLimit: false, pii: true });
  open.push(sandbox);
  return { sandbox, clock };
}

async function context(w: { sandbox: SandboxHandle; clock: FakeClock }, config: string, env: Record<string, string | undefined> = { FRONT_IMPORT_PII_KEY: KEY }) {
  const f = await fakeContext({ sandbox: w.sandbox, clock: w.clock, config, flags: { json: true }, overrides: { to: 'highlights.ndjson' }, env });
  open.push(f);
  return f;
}

describe('highlights.redact', () => {
  it('counts redactions by kind as delivered, and leaves no planted value in the destination or the state file', async () => {
    const w = await world();
    const f = await context(w, REDACT);
    expect(await runBackfill({ since: '8d', dryRun: false, json: true }, f.ctx)).toBe(0);
    const summary = f.json<{ redactions: { byKind: Record<string, number> } }>();
    const lines = readFileSync(join(f.dir, 'highlights.ndjson'), 'utf8').trim().split('\n');
    const delivered = lines.map((l) => JSON.parse(l));
    for (const h of delivered) expect(highlightErrors(h)).toEqual([]);
    const markers: Record<string, number> = {};
    for (const h of delivered) for (const m of `${h.title}\n${h.text}`.matchAll(/\[(email|phone|card|iban|ip)\]/g)) markers[m[1]!] = (markers[m[1]!] ?? 0) + 1;
    expect(summary.redactions.byKind).toEqual(markers);
    expect(Object.keys(markers).length).toBeGreaterThanOrEqual(4);
    const ndjson = readFileSync(join(f.dir, 'highlights.ndjson'), 'utf8');
    const state = readFileSync(join(f.dir, 'state.db')).toString('utf8') + readWal(f.dir);
    for (const value of PLANTED_PII) {
      expect(ndjson.includes(value), `${value} in the destination`).toBe(false);
      expect(state.includes(value), `${value} in the state file`).toBe(false);
    }
    // The look-alikes beside them come through untouched.
    expect(PLANTED_TRAPS.some((t) => ndjson.includes(t))).toBe(true);
    for (const h of delivered) {
      expect(h.requester === null || /^anon-[0-9a-f]{16}$/.test(h.requester.handle)).toBe(true);
      for (const p of h.participants) if (p.role !== 'teammate') expect(p.handle).toMatch(/^anon-[0-9a-f]{16}$/);
    }
  });

  it('a run says when redaction is turned on, and the summary line counts what it redacted', async () => {
    const w = await world();
    const plain = await fakeContext({ sandbox: w.sandbox, clock: w.clock, overrides: { to: 'highlights.ndjson' } });
    open.push(plain);
    expect(await runBackfill({ since: '8d', dryRun: false, json: false }, plain.ctx)).toBe(0);
    expect(plain.stdout() + plain.stderr()).not.toMatch(/re-sent once/);
    const redacting = await fakeContext({ sandbox: w.sandbox, clock: w.clock, dir: plain.dir, config: REDACT, overrides: { to: 'highlights.ndjson' }, env: { FRONT_IMPORT_PII_KEY: KEY } });
    open.push(redacting);
    expect(await runBackfill({ since: '8d', dryRun: false, json: false }, redacting.ctx)).toBe(0);
    const out = redacting.stdout() + redacting.stderr();
    expect(out).toMatch(/redaction is now on: each Highlight gets a new version and is re-sent once/);
    expect(out).toMatch(/; redacted .*\d+ email.* in \d+ Highlights/);
  });

  it('--dry-run --json counts what would be redacted and writes nothing', async () => {
    const w = await world();
    const f = await context(w, REDACT);
    expect(await runBackfill({ since: '8d', dryRun: true, json: true }, f.ctx)).toBe(0);
    const { redactions } = f.json<{ redactions: { highlights: number; byKind: Record<string, number> } }>();
    expect(redactions.highlights).toBeGreaterThan(0);
    expect(redactions.byKind.email).toBeGreaterThan(0);
  });

  it('pseudonymize is refused without FRONT_IMPORT_PII_KEY, naming the fix', async () => {
    const w = await world();
    await expect(context(w, REDACT, { FRONT_IMPORT_PII_KEY: undefined })).rejects.toThrow(ConfigError);
    await expect(context(w, REDACT, { FRONT_IMPORT_PII_KEY: undefined })).rejects.toThrow(/FRONT_IMPORT_PII_KEY/);
  });

  it('a custom pattern that may backtrack catastrophically is refused when the config is read', async () => {
    const w = await world();
    const config = "highlights:\n  redact:\n    patterns:\n      - name: slow\n        regex: '(a+)+$'\n";
    await expect(context(w, config)).rejects.toThrow(/backtrack catastrophically/);
  });
});

it('`config` shows what redaction does, the key masked, with where each setting came from', () => {
  const rawEnv = { FRONT_IMPORT_PII_KEY: KEY };
  const src: ResolveInput = {
    file: { highlights: { redact: { kinds: ['email', 'phone'], patterns: [{ name: 'order-id', regex: 'ORD-\\d{8}' }] }, pseudonymize: true } },
    configPath: '/x/.frontsyncrc',
    savedToken: null,
    env: readEnvSettings(rawEnv),
    rawEnv,
    overrides: {},
    cwd: '/x',
    homeDir: '/home/x',
    isDirectory: () => false,
  };
  const shown = Object.fromEntries(describeSettings(resolveConfig(src), src).map((s) => [s.key, `${s.value} (${s.origin})`]));
  expect(shown['highlights.redact.kinds']).toBe('email, phone (file /x/.frontsyncrc)');
  expect(shown['highlights.redact.patterns']).toContain('order-id');
  expect(shown['highlights.pseudonymize']).toBe('true (file /x/.frontsyncrc)');
  expect(shown['highlights.piiKey']).toBe('*** (set) (env FRONT_IMPORT_PII_KEY)');
  expect(JSON.stringify(shown)).not.toContain(KEY);
});

describe('schema 3 scope names', () => {
  it('an unknown team or custom field stops the run before anything is fetched, with the nearest names', async () => {
    const w = await world();
    for (const [config, hint] of [
      ['scope:\n  teams: [Suport]\n', /no team named "Suport".*\n.*Did you mean Support\?/],
      ['scope:\n  customFields: { plan: Enterprise }\n', null],
      ['scope:\n  customFields: { Plann: Enterprise }\n', /no conversation custom field named "Plann".*did you mean Plan\?/],
      ['routing:\n  labels:\n    - when: { customField: { Plan: Enterprize } }\n      label: e\n', /"Enterprize" is not a value of the enum field "Plan".*did you mean Enterprise\?/],
    ] as const) {
      const f = await context(w, config);
      w.sandbox.control.clearRequestLog();
      const run = runBackfill({ since: '8d', dryRun: false, json: true }, f.ctx);
      if (hint === null) {
        // Names match in any case: `plan` is Front's `Plan`.
        await expect(run).resolves.toBe(0);
        continue;
      }
      await expect(run).rejects.toThrow(UsageError);
      await expect(runBackfill({ since: '8d', dryRun: false, json: true }, f.ctx)).rejects.toThrow(hint);
      const fetched = w.sandbox.control.requestLog().filter((e) => e.pathTemplate === '/events' || e.pathTemplate?.includes('conversations/{') || e.pathTemplate === '/conversations');
      expect(fetched).toEqual([]);
    }
  });
});

/** SQLite's write-ahead log, which holds recent pages until a checkpoint. */
function readWal(dir: string): string {
  try {
    return readFileSync(join(dir, 'state.db-wal')).toString('utf8');
  } catch {
    return '';
  }
}
