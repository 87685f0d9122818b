// `front-import sandbox`: serve the simulated Front API until interrupted, printing what a user
// needs to point front-import (or curl) at it. The tokens are the sandbox's own, not secrets.
// `--demo` runs a backfill against it instead (demo.ts).

import type { BareContext } from '../../context/index.js';
import { PLAN_RPM } from '../../front-api/plans.js';
import { resolveSandboxOptions, startSandbox } from '../../sandbox/index.js';
import type { SandboxOptions, TokenLabel } from '../../sandbox/types.js';
import { untilAborted } from '../../shared/sleep.js';

const TOKEN_NOTES: Record<TokenLabel, string> = {
  full: 'every scope',
  noPrivate: 'no private inboxes',
  noEvents: 'no events:*:read scope',
  revoked: 'answers 401',
};

export interface SandboxCommandOptions extends SandboxOptions {
  demo: boolean;
}

export async function runSandbox({ demo, ...opts }: SandboxCommandOptions, ctx: BareContext): Promise<number> {
  // Written as is: the sandbox's tokens are meant to be copied.
  const out = (line: string) => void ctx.io.stdout.write(`${line}\n`);
  if (demo) {
    const { runDemo } = await import('./demo.js');
    return runDemo(opts, out, ctx);
  }
  await serve(opts, out, ctx.signal);
  return 0;
}

async function serve(opts: SandboxOptions, out: (line: string) => void, signal: AbortSignal): Promise<void> {
  const settings = resolveSandboxOptions(opts);
  const sandbox = await startSandbox(opts);
  try {
    const limits = settings.rateLimit
      ? `${settings.plan} plan, ${PLAN_RPM[settings.plan]} requests per ${settings.windowMs / 1000}s (${settings.limiter} limiter)`
      : 'no rate limits';
    out(`Front sandbox on ${sandbox.url}`);
    out(`  seed ${settings.seed}, ${settings.conversations} conversations over ${settings.days} days, ${limits}`);
    out('Tokens:');
    for (const label of Object.keys(TOKEN_NOTES) as TokenLabel[]) {
      out(`  ${label.padEnd(10)} ${sandbox.tokens[label]}  (${TOKEN_NOTES[label]})`);
    }
    out('OAuth app (connect --oauth):');
    out(`  export FRONT_OAUTH_URL=${sandbox.url}`);
    out(`  export FRONT_OAUTH_CLIENT_ID=${sandbox.oauth.clientId}`);
    out(`  export FRONT_OAUTH_CLIENT_SECRET=${sandbox.oauth.clientSecret}`);
    out('Use it:');
    out(`  export FRONT_API_URL=${sandbox.url}`);
    out(`  export FRONT_API_TOKEN=${sandbox.tokens.full}`);
    // The client paces itself per window: tell it the sandbox's minute is compressed.
    if (settings.rateLimit && settings.windowMs !== 60_000) out(`  export FRONT_IMPORT_RATE_WINDOW_MS=${settings.windowMs}`);
    out(`Control API: POST ${sandbox.url}/__sandbox/<method>, e.g. addConversation (README: "The sandbox"). Stop with Ctrl-C.`);
    await untilAborted(signal);
  } finally {
    await sandbox.close();
  }
}

