// `front-import connect`: proves a token works before anything relies on it. One cheap request
// per fact: /me (identity), /inboxes (what it can see), one /events page (scope).

import type { CommandContext } from '../../cli/context.js';
import { saveUserToken, userConfigPath, requireToken } from '../../config/load.js';
import { PLAN_RPM } from '../../config/types.js';
import { ScopeError } from '../../errors.js';
import { createFrontApi } from '../../front/api.js';

export interface ConnectOptions {
  check: boolean;
  save: boolean;
  json: boolean;
}

export async function runConnect(opts: ConnectOptions, ctx: CommandContext): Promise<number> {
  const { io, config } = ctx;
  const client = await ctx.frontClient();
  const api = createFrontApi(client);
  const me = await api.me();
  // Saved only once Front accepted the token, so a typo never ends up in the user config file.
  const savedTo = opts.save ? await saveToken(ctx) : null;
  if (opts.check) {
    if (opts.json) io.result({ ok: true, company: { id: me.id, name: me.name }, url: config.front.url, savedTo });
    else io.info(`ok: token works for ${me.name} (${me.id}) at ${config.front.url}${savedTo ? `; token saved to ${savedTo}` : ''}`);
    return 0;
  }
  const inboxes = await api.inboxes();
  let eventsAllowed = true;
  try {
    await api.probeEvents();
  } catch (err) {
    if (!(err instanceof ScopeError)) throw err;
    eventsAllowed = false;
  }
  const rate = client.rateLimit();
  const configured = config.front.rpm ?? PLAN_RPM[config.front.plan];
  const configuredLabel = config.front.rpm === null ? `the ${config.front.plan} plan's ${configured}` : `front.rpm ${configured}`;
  const result = {
    ok: true,
    url: config.front.url,
    company: { id: me.id, name: me.name },
    inboxes: inboxes.map((i) => ({ id: i.id, name: i.name, private: Boolean(i.is_private) })),
    eventsAllowed,
    strategy: eventsAllowed ? 'events' : 'listing',
    rateLimit: { reported: rate?.limit ?? null, remaining: rate?.remaining ?? null, configuredPlan: config.front.plan, configured, share: config.front.share },
    savedTo,
  };
  if (opts.json) {
    io.result(result);
    return 0;
  }
  const c = io.chalk;
  io.info(`${c.green('✓')} token works for ${c.bold(me.name)} (${me.id}) at ${config.front.url}`);
  io.info(`inboxes (${inboxes.length}): ${inboxes.map((i) => `${i.name} [${i.id}]${i.is_private ? ' (private)' : ''}`).join(', ') || 'none visible'}`);
  io.info(
    eventsAllowed
      ? `events: allowed (imports use the event stream: fewest requests)`
      : `events: not allowed (token lacks events:*:read; imports list conversations instead, which costs more requests)`,
  );
  const share = `${Math.round(config.front.share * 100)}%`;
  if (rate) {
    const comparison =
      rate.limit === configured ? ` (as configured: ${configuredLabel})` : c.yellow(` (config says ${configuredLabel}; pacing follows Front's figure)`);
    io.info(`rate limit: Front reports ${rate.limit} per window, ${rate.remaining} remaining${comparison}; front-import uses ${share}`);
  } else {
    io.info(`rate limit: Front reported none; front-import paces at ${share} of ${configuredLabel}`);
  }
  if (savedTo) io.info(`token saved to ${savedTo} (mode 0600). For cron and CI prefer FRONT_API_TOKEN in the environment.`);
  return 0;
}

async function saveToken(ctx: CommandContext): Promise<string> {
  const path = userConfigPath(ctx.env, ctx.homeDir);
  await saveUserToken(path, requireToken(ctx.config, ctx.env));
  return path;
}
