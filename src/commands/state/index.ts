// `front-import state export FILE` / `state import FILE`: move a whole state (cursor, checkpoints,
// outbox with pending and refused items, open batches, runs, webhook queue) between a SQLite file
// and a PostgreSQL database, or from one machine to another.

import { resolve } from 'node:path';
import type { CommandContext } from '../../context/index.js';
import { describeLocation } from '../../store/location.js';
import { dumpState, loadState } from '../../store/transfer/index.js';
import { readDumpFile, writeDumpFile } from '../../store/transfer/dump-file.js';
import type { StateDump } from '../../store/transfer/tables.js';

export interface StateFileOptions {
  /** As typed: relative to the working directory. */
  file: string;
  json: boolean;
}

export async function runStateExport(opts: StateFileOptions, ctx: CommandContext): Promise<number> {
  const path = resolve(ctx.cwd, opts.file);
  const dump = await dumpState(ctx.config.store);
  const rows = writeDumpFile(path, dump, { exportedAt: new Date(ctx.clock()).toISOString(), source: ctx.config.store.kind });
  report(ctx, opts.json, 'exported', describeLocation(ctx.config.store), path, dump, rows);
  return 0;
}

export async function runStateImport(opts: StateFileOptions, ctx: CommandContext): Promise<number> {
  const path = resolve(ctx.cwd, opts.file);
  const { dump } = readDumpFile(path);
  await loadState(ctx.config.store, dump);
  const rows = dump.tables.reduce((n, t) => n + t.rows.length, 0);
  report(ctx, opts.json, 'imported', path, describeLocation(ctx.config.store), dump, rows);
  return 0;
}

function report(ctx: CommandContext, json: boolean, verb: string, from: string, to: string, dump: StateDump, rows: number): void {
  const counts = Object.fromEntries(dump.tables.map((t) => [t.name, t.rows.length]));
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
