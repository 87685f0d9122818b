// Issue 12, monitoring and "saying where it went", through the real binary: status thresholds with
// their own exit code (8), Prometheus metrics from status and listen, interrupted (killed) runs, the last
// refusal reason, `front-import config`, and `connect --save` / `--json` on failure.

import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeAfterEach, importable, inProcess, scenario, statusOf } from '../helpers/e2e.ts';
import { waitUntil } from '../helpers/reliability.ts';

const keep = closeAfterEach();
const SINCE = '8d';

/** `name value` lines of a Prometheus text exposition, as a map. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [name, value] = line.split(' ');
    out.set(name!, Number(value));
  }
  return out;
}

describe('status thresholds exit 8, each named with its figure', () => {
  it('--max-pending, --max-refused and --max-lag: 0 within every limit, 8 when one is exceeded', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 12, seed: 1220 }, destination: { retries: 0 } }));
    const poisoned = `front:${importable(s.sandbox.control.truth().conversations)[3]!.id}`;
    s.receiver.behave({ poison: [poisoned] });
    // The poisoned item is refused: the run says so with exit 7.
    expect((await s.cli(['sync', '--since', SINCE])).code).toBe(7);

    const cases: { args: string[]; code: number; line?: RegExp }[] = [
      { args: ['--max-refused', '0'], code: 8, line: /max-refused: 1 refused \(limit 0\): EXCEEDED/ },
      { args: ['--max-refused', '1'], code: 0 },
      { args: ['--max-pending', '0'], code: 0 },
      { args: ['--max-lag', '1h'], code: 0 },
      { args: ['--max-lag', '1h', '--max-pending', '5', '--max-refused', '0'], code: 8, line: /max-refused: .*EXCEEDED/ },
    ];
    for (const c of cases) {
      const r = await s.cli(['status', ...c.args]);
      expect(r.code, c.args.join(' ')).toBe(c.code);
      if (c.line) expect(r.stderr).toMatch(c.line);
    }

    await s.receiver.down();
    s.sandbox.control.addConversation();
    expect((await s.cli(['sync'])).code).toBe(6);
    const pending = await s.cli(['status', '--max-pending', '0', '--json']);
    expect(pending.code).toBe(8);
    expect(JSON.parse(pending.stdout).checks).toEqual([{ name: 'max-pending', limit: '0', actual: '1 pending', exceeded: true }]);
  });

  it('--max-lag with no sync yet: 8, not the 1 of a bug', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 2, seed: 1221 } }));
    const r = await s.cli(['status', '--max-lag', '30m']);
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('max-lag: no successful sync yet (limit 30m): EXCEEDED');
  });
});

describe('Prometheus metrics', () => {
  it('status --prometheus FILE writes the textfile collector format atomically, with the figures status reports', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 9, seed: 1222 }, destination: { retries: 0 } }));
    s.receiver.behave({ poison: [`front:${importable(s.sandbox.control.truth().conversations)[0]!.id}`] });
    expect((await s.cli(['sync', '--since', SINCE])).code).toBe(7);
    const dir = join(s.work.dir, 'textfile');
    mkdirSync(dir);
    const file = join(dir, 'front_import.prom');
    writeFileSync(file, 'old content\n');
    const r = await s.cli(['status', '--prometheus', file]);
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(readdirSync(dir)).toEqual(['front_import.prom']);
    expect(text).toMatch(/^# HELP front_import_highlights_delivered .+\n# TYPE front_import_highlights_delivered gauge\nfront_import_highlights_delivered 8\n/);
    const m = samples(text);
    const totals = (await statusOf(s)).totals!;
    expect(m.get('front_import_highlights_delivered')).toBe(totals.delivered);
    expect(m.get('front_import_highlights_refused')).toBe(1);
    expect(m.get('front_import_highlights_pending')).toBe(0);
    expect(m.get('front_import_webhook_queue_depth')).toBe(0);
    expect(m.get('front_import_sync_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.get('front_import_front_rate_limit_remaining')).toBeGreaterThan(0);

    const unwritable = await s.cli(['status', '--prometheus', join(s.work.dir, 'no-such-dir', 'x.prom')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/--prometheus: cannot write .*no-such-dir\/x\.prom \(ENOENT\)/);
  });

  it('listen serves /metrics with the queue depth and refusals as they happen; status shows the last refusal reason', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 3, seed: 1223 } }));
    const l = s.spawn(['listen', '--port', '0'], { FRONT_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length' });
    try {
      const url = await listeningUrl(l.output);
      const origin = new URL(url).origin;
      const before = await fetch(`${origin}/metrics`);
      expect(before.status).toBe(200);
      expect(before.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(samples(await before.text()).get('front_import_webhooks_rejected_total')).toBe(0);
      expect((await fetch(`${origin}/metrics`, { method: 'POST' })).status).toBe(405);

      const refused = await fetch(url, { method: 'POST', body: '{"type":"inbound"}', headers: { 'content-type': 'application/json' } });
      expect(refused.status).toBe(401);
      const after = samples(await (await fetch(`${origin}/metrics`)).text());
      expect(after.get('front_import_webhooks_rejected_total')).toBe(2);
      expect(after.get('front_import_webhook_queue_depth')).toBe(0);
    } finally {
      l.child.kill('SIGTERM');
      await l.done;
    }
    const status = await s.cli(['status']);
    expect(status.stdout).toMatch(/listener\s+0 received, 2 rejected/);
    expect(status.stdout).toMatch(/last refusal: .*signature/);
  });
});

describe('a run killed with -9 shows as interrupted in status at once', () => {
  it('status itself sees the dead pid: interrupted, not "running"', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 400, seed: 1224, faults: { latencyMs: 150 } } }));
    const r = s.spawn(['backfill', '--since', SINCE]);
    await waitFor(() => s.sandbox.control.requestLog().length >= 3);
    const running = await statusOf(s);
    expect(running.runs[0]).toMatchObject({ command: 'backfill', outcome: null, endedAt: null });
    r.child.kill('SIGKILL');
    await r.done;
    const after = await statusOf(s);
    expect(after.runs[0]).toMatchObject({ command: 'backfill', outcome: 'interrupted' });
    expect((await s.cli(['status'])).stdout).toMatch(/backfill interrupted \(did not finish\)/);
  });
});

describe('front-import config', () => {
  it('prints each setting with where it came from, secrets masked, and passes its checks (exit 0)', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 2, seed: 1225 } }));
    const r = await s.cli(['config'], { FRONT_API_URL: s.sandbox.url });
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`^front\\.url\\s+${s.sandbox.url.replace(/\./g, '\\.')}\\s+env FRONT_API_URL$`, 'm'));
    expect(out).toMatch(/^front\.token\s+\*\*\* \(set\)\s+env FRONT_API_TOKEN$/m);
    expect(out).toMatch(new RegExp(`^front\\.plan\\s+professional\\s+file ${s.work.dir}/\\.frontsyncrc$`, 'm'));
    expect(out).toMatch(/^front\.share\s+0\.8\s+default$/m);
    expect(out).toMatch(/^store\.path\s+.*state\.db\s+env FRONT_IMPORT_DB$/m);
    expect(out).toMatch(/^destination\.token\s+\*\*\* \(set\)\s+env FRONT_IMPORT_DEST_TOKEN$/m);
    expect(out).toMatch(/✓ token: works for /);
    expect(out).toMatch(/✓ destination: HTTP http:\/\/127\.0\.0\.1:\d+ answers/);
    expect(out).toMatch(/✓ state: .*state\.db will be created/);
    expect(out).not.toContain(s.sandbox.tokens.full);
    expect(out).not.toContain('dest-secret-token');

    const doctor = await s.cli(['doctor', '--json']);
    expect(doctor.code).toBe(0);
    const report = JSON.parse(doctor.stdout);
    expect(report.ok).toBe(true);
    expect(report.settings.find((x: { key: string }) => x.key === 'front.retryBaseMs')).toMatchObject({ value: '20', origin: expect.stringMatching(/^file /) });
  });

  it('a refused token fails the token check with exit 3; a missing folder for the destination fails with 2', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 2, seed: 1226 }, token: 'revoked' }));
    const r = await s.cli(['config']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/✗ token: Front rejected the token \(401\)/);
    const bad = join(s.work.dir, 'bad.yaml');
    writeFileSync(bad, `front:\n  url: ${s.sandbox.url}\ndestination:\n  type: ndjson\n  path: ./nope/h.ndjson\n`);
    const dest = await s.cli(['config', '--offline', '--config', bad]);
    expect(dest.code).toBe(2);
    expect(dest.stdout).toMatch(/✗ destination: destination .*nope\/h\.ndjson is in a folder that does not exist/);
    expect(dest.stdout).toMatch(new RegExp(`^destination\\.path\\s+.*nope/h\\.ndjson\\s+file ${bad}$`, 'm'));
  });
});

describe('connect --save writes where the config already is', () => {
  it('into an existing config.yaml, keeping its comments and keys; no config.json appears', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 2, seed: 1227 } }));
    const dir = join(s.work.home, '.config', 'frontsync');
    mkdirSync(dir, { recursive: true });
    const yaml = join(dir, 'config.yaml');
    writeFileSync(yaml, `# my settings\nfront:\n  # the sandbox\n  url: ${s.sandbox.url}\n`);
    // From the home directory no project config is found: the user config file is the one read.
    const r = await inProcess(['connect', '--save'], s.work.home, s.work.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`token saved to ${yaml}`);
    const text = readFileSync(yaml, 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('# the sandbox');
    expect(text).toContain(`url: ${s.sandbox.url}`);
    expect(text).toContain(`token: ${s.sandbox.tokens.full}`);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('refuses, naming the file, when a config file found first holds the token', async () => {
    const s = keep(await scenario({ sandbox: { conversations: 2, seed: 1228 }, front: { token: 'tok_in_the_project_file' } }));
    const r = await s.cli(['connect', '--save']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`not saved: ${s.work.dir}/.frontsyncrc sets front.token`);
  });
});

describe('connect --json on failure', () => {
  it.each([
    { token: 'revoked' as const, code: 3, kind: 'auth' },
  ])('prints a JSON error object (exit $code, kind $kind)', async ({ token, code, kind }) => {
    const s = keep(await scenario({ sandbox: { conversations: 2, seed: 1229 }, token }));
    for (const args of [['connect', '--json'], ['connect', '--check', '--json']]) {
      const r = await s.cli(args);
      expect(r.code).toBe(code);
      expect(JSON.parse(r.stdout)).toEqual({ ok: false, command: 'connect', outcome: 'failed', exitCode: code, error: { kind, message: expect.stringContaining('401') } });
    }
  });
});

async function listeningUrl(output: () => { stdout: string }): Promise<string> {
  const listening = () => /listening on (http:\/\/\S+)/.exec(output().stdout)?.[1];
  await waitFor(() => listening() !== undefined);
  return listening()!;
}

// Generous: what is waited for is a spawned binary starting, which a loaded 2-CPU machine makes slow.
const waitFor = (condition: () => boolean, timeoutMs = 45_000): Promise<void> => waitUntil(condition, timeoutMs, 'the condition');
