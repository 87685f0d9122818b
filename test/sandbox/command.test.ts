import { describe, expect, it } from 'vitest';
import { runSandboxCommand } from '../../src/commands/sandbox/index.ts';
import { UsageError } from '../../src/errors.ts';

describe('front-import sandbox', () => {
  it('prints the URL, the four labelled tokens and export lines, serves until aborted', async () => {
    const lines: string[] = [];
    const abort = new AbortController();
    const running = runSandboxCommand({ seed: 'cli', conversations: 10, plan: 'starter', faults: { errorRate: undefined } }, (l) => lines.push(l), abort.signal);
    await expect.poll(() => lines.some((l) => l.startsWith('Control API'))).toBe(true);

    const url = /export FRONT_API_URL=(\S+)/.exec(lines.join('\n'))![1]!;
    const token = /export FRONT_API_TOKEN=(\S+)/.exec(lines.join('\n'))![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const label of ['full', 'noPrivate', 'noEvents', 'revoked']) {
      expect(lines.some((l) => new RegExp(`^\\s+${label}\\s+sbx_\\S+`).test(l))).toBe(true);
    }
    expect(lines.join('\n')).toContain('50 requests per 60s');
    const me = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);

    abort.abort();
    await running;
    await expect(fetch(`${url}/me`)).rejects.toThrow();
  });

  it('rejects bad options as usage errors before listening', async () => {
    await expect(runSandboxCommand({ conversations: -1 }, () => undefined)).rejects.toThrow(UsageError);
    await expect(runSandboxCommand({ days: 0 }, () => undefined)).rejects.toThrow(UsageError);
    await expect(runSandboxCommand({ faults: { errorRate: 3 } }, () => undefined)).rejects.toThrow(UsageError);
  });
});
