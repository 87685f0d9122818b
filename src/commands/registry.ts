// Every command, in the order `--help` lists them. Each entry is the command's own `command.ts`
// (name, flags, help, and a lazy `load` of its run), so building the program loads no command.

import type { CommandSpec } from './command-spec.js';
import { backfill } from './backfill/command.js';
import { config } from './config/command.js';
import { connect } from './connect/command.js';
import { listen } from './listen/command.js';
import { replay } from './replay/command.js';
import { retryRefused } from './retry-refused/command.js';
import { sandbox } from './sandbox/command.js';
import { state } from './state/command.js';
import { status } from './status/command.js';
import { sync } from './sync/command.js';

export const COMMANDS: readonly CommandSpec[] = [connect, backfill, sync, status, config, replay, retryRefused, state, sandbox, listen];
