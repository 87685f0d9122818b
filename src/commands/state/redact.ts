// `front-import state redact`: state redaction now, for whoever will not wait for the next run (and
// again, even when the state was redacted with these settings: a second pass is harmless). The same
// rewrite a run does at its start when the redaction settings changed (runs/state-redaction.ts),
// under the import lock, without a Front request.

import type { CommandContext } from '../../context/index.js';
import { ConfigError } from '../../errors.js';
import { redactorFor } from '../../redact/from-config.js';
import { RunSession } from '../../runs/session.js';
import { describeLocation } from '../../store/location.js';
import { stateExists } from '../../store/open-store.js';
import { redactStateAtRest, stateRedactionLine } from '../../runs/state-redaction.js';

export interface StateRedactOptions {
  json: boolean;
}

export async function runStateRedact(opts: StateRedactOptions, ctx: CommandContext): Promise<number> {
  if (!redactorFor(ctx.config.highlights).active) {
    throw new ConfigError('highlights.redact and highlights.pseudonymize are off: nothing to redact the state with (turn them on in the config first)');
  }
  if (!(await stateExists(ctx.config.store))) throw new ConfigError(`no state at ${describeLocation(ctx.config.store)}: nothing to redact (or pass --state)`);
  const session = await RunSession.open(ctx, { command: 'state redact', args: {} });
  try {
    await session.lock();
    const report = await redactStateAtRest(session.store, ctx.config, { force: true, clock: ctx.clock, signal: ctx.signal });
    if (!report) return 0;
    if (opts.json) ctx.io.result({ command: 'state redact', ok: report.scrub.done, ...report, location: session.store.location });
    else if (report.scrub.done) ctx.io.info(stateRedactionLine(report));
    else ctx.io.warn(stateRedactionLine(report));
    return 0;
  } finally {
    await session.end();
  }
}
