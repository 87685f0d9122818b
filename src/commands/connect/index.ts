// `front-import connect`: proves a token works before anything relies on it. One cheap request
// per fact: /me (identity), /inboxes and /tags (the names scope and routing rules may use), one
// /events page (scope).

import type { CommandContext } from '../../context/index.js';
import { saveUserToken, userConfigPath, requireToken } from '../../config/load.js';
import { PLAN_RPM } from '../../front-api/plans.js';
import { readConfigFile } from '../../config/find-config.js';
import { ConfigError, ScopeError } from '../../errors.js';
import { createFrontApi } from '../../front/api.js';
import type { TextFrom } from '../../highlight/types.js';
import { importedStatuses } from '../../pipeline/scope.js';

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
  const [inboxes, tags] = await Promise.all([api.inboxes(), api.tags()]);
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
    tags: tags.map((t) => ({ id: t.id, name: t.name })),
    eventsAllowed,
    strategy: eventsAllowed ? 'events' : 'listing',
    // Spam and trash are left out unless scope.statuses names them: a user checking a token sees it here.
    importedStatuses: Object.fromEntries(config.subscriptions.map((s) => [s.name, importedStatuses(s.scope.statuses)])),
    textFrom: config.highlights.textFrom,
    rateLimit: { reported: rate?.limit ?? null, remaining: rate?.remaining ?? null, configuredPlan: config.front.plan, configured, share: config.front.share },
    savedTo,
  };
  if (opts.json) {
    io.result(result);
    return 0;
  }
  const c = io.chalk;
  io.info(`${c.green('✓')} token works for ${c.bold(me.name)} (${me.id}) at ${config.front.url}`);
  io.info(`inboxes (${inboxes.length}): ${inboxes.map((i) => `${i.name} [${i.id}]${privateNote(i)}`).join(', ') || 'none visible'}`);
  io.info(`tags (${tags.length}): ${tags.map((t) => t.name).join(', ') || 'none'}`);
  io.info(
    eventsAllowed
      ? `events: allowed (imports use the event stream: fewest requests)`
      : `events: not allowed (token lacks events:*:read; imports list conversations instead, which costs more requests)`,
  );
  for (const subscription of config.subscriptions) {
    const named = subscription.scope.statuses.length > 0;
    const who = config.subscriptions.length > 1 ? ` (${subscription.name})` : '';
    io.info(
      `imports${who}: ${importedStatuses(subscription.scope.statuses).join(', ')} conversations` +
        (named ? ' (scope.statuses)' : '; spam and trashed are not imported unless scope.statuses names them'),
    );
  }
  io.info(`text: the writer's own words from ${TEXT_FROM_LABEL[config.highlights.textFrom]} (highlights.textFrom)`);
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

const TEXT_FROM_LABEL: Record<TextFrom, string> = {
  latest: 'the latest message',
  'latest-inbound': "the customer's latest message",
  'first-inbound': "the customer's first message",
};

async function saveToken(ctx: CommandContext): Promise<string> {
  const path = userConfigPath(ctx.env, ctx.homeDir);
  const project = ctx.config.configPath;
  // The token in a config file found first wins over the saved one: saving would change nothing.
  const found = project !== null && project !== path ? ((await readConfigFile(project))?.data as { front?: { token?: unknown } | null } | null) : null;
  if (found?.front?.token) {
    throw new ConfigError(`not saved: ${project} sets front.token, which wins over ${path}; change the token there, or remove it from that file and run connect --save again`);
  }
  await saveUserToken(path, requireToken(ctx.config, ctx.env));
  return path;
}

/** " (private)", unless the inbox's own name already says so ("VIP (private)"). */
function privateNote(inbox: { name: string; is_private?: boolean | null }): string {
  return inbox.is_private && !/\bprivate\b/i.test(inbox.name) ? ' (private)' : '';
}
