import { createFrontApi } from '../../src/front/api.ts';
import { createFrontClient } from '../../src/front/client.ts';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.ts';
import { FIXED_NOW } from '../helpers/in-process.ts';

/** A sandbox on the fixed clock (no rate limit: pacing has its own tests) and an API client for it, unpaced. */
export async function sandboxFront(opts: SandboxOptions): Promise<{ sandbox: SandboxHandle; api: ReturnType<typeof createFrontApi> }> {
  const sandbox = await startSandbox({ now: () => FIXED_NOW, rateLimit: false, ...opts });
  const client = createFrontClient({
    baseUrl: sandbox.url,
    token: sandbox.tokens.full,
    userAgent: 'front-import/0.0.0-test',
    rpm: 100_000,
    share: 1,
    burstPerSecond: 1000,
    rateWindowMs: 60_000,
    concurrency: 4,
    timeoutMs: 5000,
    retries: 2,
    retryBaseMs: 5,
    pacing: false,
    clock: () => FIXED_NOW,
  });
  return { sandbox, api: createFrontApi(client) };
}
