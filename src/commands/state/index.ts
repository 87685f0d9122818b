// `front-import state export FILE` / `state import FILE`: move a whole state (cursor, checkpoints,
// outbox with pending and refused items, open batches, runs, webhook queue) between a SQLite file
// and a PostgreSQL database, or from one machine to another.

import { resolve } from 'node:path';
import type { CommandContext } from '../../context/index.js';
import { describeLocation } from '../../store/location.js';
import { exportState, importState } from '../../store/transfer/index.js';
import type { TableCounts } from '../../store/transfer/tables.js';

export interface StateFileOptions {
  /** As typed: relative to the working directory. */
  file: string;
  json: boolean;
}

export async function runStateExport(opts: StateFileOptions, ctx: CommandContext): Promise<number> {
  const path = resolve(ctx.cwd, opts.file);
  const counts = await exportState(ctx.config.store, path, { exportedAt: new Date(ctx.clock()).toISOString() });
  report(ctx, opts.json, 'exported', describeLocation(ctx.config.store), path, counts);
  return 0;
}

export async function runStateImport(opts: StateFileOptions, ctx: CommandContext): Promise<number> {
  const path = resolve(ctx.cwd, opts.file);
  const counts = await importState(ctx.config.store, path);
  report(ctx, opts.json, 'imported', path, describeLocation(ctx.config.store), counts);
  return 0;
}

function report(ctx: CommandContext, json: boolean, verb: string, from: string, to: string, counts: TableCounts): void {
  const rows = Object.values(counts).reduce((n, c) => n + c, 0);
  if (json) {
    ctx.io.result({ command: `state ${verb === 'exported' ? 'export' : 'import'}`, from, to, rows, tables: counts });
    return;
  }
  const c = counts as Record<string, number>;
  ctx.io.info(
    `state ${verb}: ${c.conversations} conversations, ${c.batches} open batches, ${c.cursors} cursors, ${c.checkpoints} checkpoints, ` +
      `${c.runs} runs, ${c.webhook_events} webhook events (${rows} rows) from ${from} to ${to}`,
  );
}
