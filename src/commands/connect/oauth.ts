// `connect --oauth` and `connect --logout`: authorize front-import through the company's own
// Front app, store the token set (keychain, a 0600 file, or the encrypted state), and say who
// authorized, where the set went and when the access token expires.

import type { CommandContext } from '../../context/index.js';
import { UsageError } from '../../errors.js';
import { createFrontApi } from '../../front/api.js';
import { authorizationCode } from '../../oauth/authorize.js';
import { oauthConfigured, tokenEndpoint, tokenVault } from '../../oauth/index.js';

export interface ConnectOAuthOptions {
  noBrowser: boolean;
  json: boolean;
}

const MISSING_APP =
  'connect --oauth needs your Front app: set FRONT_OAUTH_CLIENT_ID and FRONT_OAUTH_CLIENT_SECRET (or front.oauth.clientId and front.oauth.clientSecret in the config)';

function vaultDeps(ctx: CommandContext) {
  return { settings: ctx.config.front.oauth, apiUrl: ctx.config.front.url, store: ctx.config.store, env: ctx.env, openStore: () => ctx.openStore() };
}

export async function runConnectOAuth(opts: ConnectOAuthOptions, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  const settings = config.front.oauth;
  if (!oauthConfigured(settings)) throw new UsageError(MISSING_APP);
  io.addSecret(settings.clientSecret);
  const vault = await tokenVault(vaultDeps(ctx));
  // No display, or CI: nobody can click in a browser here.
  const noBrowser = opts.noBrowser || Boolean(ctx.env.CI) || (process.platform === 'linux' && !ctx.env.DISPLAY && !ctx.env.WAYLAND_DISPLAY);
  const code = await authorizationCode({
    settings,
    noBrowser,
    stdin: ctx.stdin(),
    say: (line) => io.info(line),
    openBrowser: async (url) => {
      const { default: open } = await import('open');
      await open(url);
    },
    signal: ctx.signal,
  });
  const endpoint = await tokenEndpoint({ settings, clock: ctx.clock, signal: ctx.signal });
  const grant = await endpoint.exchangeCode(code, settings.redirectUri);
  io.addSecret(grant.accessToken);
  io.addSecret(grant.refreshToken);
  // Stored before anything uses it: a crash from here on leaves a usable set, never a spent code.
  await vault.write({ ...grant, refreshedAt: grant.obtainedAt, clientId: settings.clientId ?? '', apiUrl: config.front.url });
  const me = await createFrontApi(await ctx.frontClient()).me();
  const expires = new Date(grant.expiresAt).toISOString();
  if (opts.json) io.result({ ok: true, company: { id: me.id, name: me.name }, url: config.front.url, storedIn: vault.where, accessTokenExpiresAt: expires });
  else io.info(`${io.chalk.green('✓')} ${me.name} (${me.id}) authorized front-import at ${config.front.url}; token set stored in ${vault.where}; the access token expires at ${expires} and refreshes itself`);
  return 0;
}

export async function runConnectLogout(opts: { json: boolean }, ctx: CommandContext): Promise<number> {
  const vault = await tokenVault(vaultDeps(ctx));
  const forgotten = await vault.clear();
  if (opts.json) ctx.io.result({ ok: true, forgotten, storedIn: vault.where });
  else ctx.io.info(forgotten ? `forgot the OAuth token set in ${vault.where}` : `no OAuth token set was stored in ${vault.where}`);
  return 0;
}
