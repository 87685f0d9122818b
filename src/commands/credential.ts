// Which credential this configuration authenticates with, for connect --check and status.

import type { CommandContext } from '../context/index.js';
import { describeCredential, type CredentialReport } from '../oauth/index.js';

export function credentialOf(ctx: CommandContext): Promise<CredentialReport> {
  const fromEnv = (ctx.env.FRONT_API_TOKEN ?? '').trim() !== '';
  return describeCredential(
    {
      settings: ctx.config.front.oauth,
      apiUrl: ctx.config.front.url,
      store: ctx.config.store,
      env: ctx.env,
      openStore: () => ctx.openStore(),
      token: ctx.config.front.token,
      tokenSource: fromEnv ? 'FRONT_API_TOKEN' : 'front.token in the config',
    },
    ctx.clock(),
  );
}
