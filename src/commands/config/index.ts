// `front-import config` (alias `doctor`): the effective configuration with where each value came
// from, secrets masked, and checks of what a run will rely on: the token (GET /me), the destination
// (writable file, or an HTTP endpoint that answers) and the state file (writable). Exit 0 when every
// check passes, else the exit code of the first failure, so CI can gate on it.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import got from 'got';
import type { CommandContext } from '../../context/index.js';
import { describeSettings } from '../../config/origins.js';
import type { Subscription } from '../../config/types.js';
import { ExitCode, StoreError, exitCodeFor, type ExitCodeValue } from '../../errors.js';
import { checkDestination } from '../../destinations/precheck.js';
import { createFrontApi } from '../../front/api.js';
import { describeLocation } from '../../store/location.js';

export interface ConfigOptions {
  json: boolean;
  /** Skip the checks that make network requests. */
  offline: boolean;
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  exitCode: ExitCodeValue;
}

/** A destination that takes this long to answer a HEAD request counts as unreachable. */
const PROBE_TIMEOUT_MS = 5_000;

export async function runConfig(opts: ConfigOptions, ctx: CommandContext): Promise<number> {
  const { config, io } = ctx;
  const settings = describeSettings(config, ctx.configSources);
  const checks: Check[] = [];
  if (!opts.offline) checks.push(await checkToken(ctx));
  for (const sub of config.subscriptions) checks.push(await checkDestinationSetting(sub, opts.offline));
  if (config.store.kind === 'sqlite') checks.push(await checkState(config.store.path));
  // Reaching a PostgreSQL state is a network check like the others.
  else if (!opts.offline) checks.push(await checkPgState(ctx));

  const failed = checks.find((c) => !c.ok);
  if (opts.json) {
    io.result({ configFile: config.configPath, stateFile: describeLocation(config.store), settings, checks: checks.map(({ exitCode: _code, ...c }) => c), ok: !failed });
  } else {
    const width = Math.max(...settings.map((s) => s.key.length));
    const valueWidth = Math.min(48, Math.max(...settings.map((s) => s.value.length)));
    io.info(`config file  ${config.configPath ?? 'none found (defaults and environment only)'}`);
    io.info(`state file   ${describeLocation(config.store)}`);
    io.info('');
    for (const s of settings) io.info(`${s.key.padEnd(width)}  ${s.value.padEnd(valueWidth)}  ${io.chalk.dim(s.origin)}`);
    io.info('');
    io.info('checks');
    for (const c of checks) io.info(`  ${c.ok ? io.chalk.green('✓') : io.chalk.red('✗')} ${c.name}: ${c.detail}`);
  }
  if (failed) io.error(`${failed.name} check failed: ${failed.detail}`);
  return failed ? failed.exitCode : ExitCode.ok;
}

async function checkToken(ctx: CommandContext): Promise<Check> {
  try {
    const me = await createFrontApi(await ctx.frontClient()).me();
    return { name: 'token', ok: true, detail: `works for ${me.name} (${me.id}) at ${ctx.config.front.url}`, exitCode: ExitCode.ok };
  } catch (err) {
    return { name: 'token', ok: false, detail: messageOf(err), exitCode: exitCodeFor(err) };
  }
}

async function checkDestinationSetting(subscription: Subscription, offline: boolean): Promise<Check> {
  const d = subscription.destination;
  const name = subscription.implicit ? 'destination' : `destination (${subscription.name})`;
  try {
    const { warnings } = await checkDestination(d);
    if (d.type === 'ndjson') {
      const where = d.path === '-' ? 'standard output' : `${d.path}${d.isDefault ? ' (default: beside the state file)' : ''}`;
      return { name, ok: true, detail: `NDJSON to ${where}, writable`, exitCode: ExitCode.ok };
    }
    const origin = new URL(d.url).origin;
    if (offline) return { name, ok: true, detail: `HTTP ${origin} (not contacted: --offline)${warnings.length ? `; ${warnings.join('; ')}` : ''}`, exitCode: ExitCode.ok };
    // Any answer proves the host is there; only a POST could tell whether it accepts Highlights.
    const res = await got.head(d.url, { throwHttpErrors: false, followRedirect: false, retry: { limit: 0 }, timeout: { request: PROBE_TIMEOUT_MS } });
    return { name, ok: true, detail: `HTTP ${origin} answers (HEAD ${res.statusCode})${warnings.length ? `; ${warnings.join('; ')}` : ''}`, exitCode: ExitCode.ok };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const detail = d.type === 'http' && typeof code === 'string' ? `cannot reach ${new URL(d.url).origin} (${code}): check --to, FRONT_IMPORT_DEST_URL or destination.url` : messageOf(err);
    return { name, ok: false, detail, exitCode: d.type === 'http' ? ExitCode.destination : exitCodeFor(err) };
  }
}

/** The state file, or the nearest folder that exists on the way to it, must be writable. */
async function checkState(path: string): Promise<Check> {
  let probe = path;
  while (!(await exists(probe)) && dirname(probe) !== probe) probe = dirname(probe);
  const ok = await access(probe, constants.W_OK).then(() => true, () => false);
  const detail = ok
    ? probe === path
      ? `${path} exists and is writable`
      : `${path} will be created (${probe} is writable)`
    : `${probe} is not writable: fix its permissions, or choose another state file with --db or FRONT_IMPORT_DB`;
  return { name: 'state', ok, detail, exitCode: ok ? ExitCode.ok : new StoreError(detail).exitCode };
}

/** Opens the state as a run would (connects, checks the schema, migrates a new one) and closes it. */
async function checkPgState(ctx: CommandContext): Promise<Check> {
  try {
    const store = await ctx.openStore();
    await store.close();
    return { name: 'state', ok: true, detail: `${store.location} answers and its tables are current`, exitCode: ExitCode.ok };
  } catch (err) {
    return { name: 'state', ok: false, detail: messageOf(err), exitCode: exitCodeFor(err) };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
